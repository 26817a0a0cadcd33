package dev.picsou.mirror.server.node;

import com.codahale.metrics.MetricRegistry;
import dev.picsou.mirror.bridge.baseline.Protocols;
import dev.picsou.mirror.bridge.hook.DurabilityPolicy;
import dev.picsou.mirror.bridge.hook.MirrorHook;
import dev.picsou.mirror.bridge.hook.MirrorStateMachine;
import dev.picsou.mirror.bridge.hook.OutboxLimit;
import dev.picsou.mirror.bridge.hook.PrimaryHook;
import dev.picsou.mirror.bridge.hook.RatisServerDefaults;
import dev.picsou.mirror.bridge.picsou.PicsouParams;
import dev.picsou.mirror.bridge.transport.NettyTransport;
import dev.picsou.mirror.bridge.transport.NettyTransportConfig;
import dev.picsou.mirror.bridge.transport.PeerDirectory;
import dev.picsou.mirror.bridge.transport.PeerId;
import dev.picsou.mirror.bridge.transport.TlsSettings;
import dev.picsou.mirror.bridge.transport.TransportFactory;
import dev.picsou.mirror.config.ChannelConfig;
import dev.picsou.mirror.config.DeploymentConfig;
import dev.picsou.mirror.config.DurabilityConfig;
import dev.picsou.mirror.config.DurabilityMode;
import dev.picsou.mirror.config.NodeConfig;
import dev.picsou.mirror.config.RaftConfig;
import dev.picsou.mirror.config.SiteConfig;
import dev.picsou.mirror.config.SyncTimeoutAction;
import dev.picsou.mirror.config.TlsConfig;
import dev.picsou.mirror.server.app.KvCommand;
import dev.picsou.mirror.server.app.KvStateMachine;
import dev.picsou.mirror.server.site.SiteClients;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One epoch of one node: the Raft server of the site's group for that epoch, with the primary hook (around the KV
 * application) or the mirror hook, and their Picsou link. Built and started by {@link #start}, closed as a whole.
 */
public final class EpochRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EpochRuntime.class);

    final NodeState state;
    final RaftGroup group;
    final RaftPeerId peerId;
    final RaftServer server;
    final PrimaryHook primary;
    final KvStateMachine kv;
    final MirrorHook mirror;
    final RaftClient client;

    private EpochRuntime(NodeState state, RaftGroup group, RaftPeerId peerId, RaftServer server, PrimaryHook primary,
                         KvStateMachine kv, MirrorHook mirror, RaftClient client) {
        this.state = state;
        this.group = group;
        this.peerId = peerId;
        this.server = server;
        this.primary = primary;
        this.kv = kv;
        this.mirror = mirror;
        this.client = client;
    }

    /** The Raft group of {@code site} in {@code epoch}: its nodes, addressed by their {@code raft} address. */
    public static RaftGroup group(SiteConfig site, long epoch) {
        List<RaftPeer> peers = new ArrayList<>();
        for (NodeConfig n : site.nodes()) {
            peers.add(RaftPeer.newBuilder().setId(n.id()).setAddress(n.raft().toString()).build());
        }
        return RaftGroup.valueOf(EpochLayout.groupId(site.id(), epoch), peers);
    }

    static EpochRuntime start(DeploymentConfig config, String nodeId, NodeState state, EpochLayout layout,
                              MetricRegistry metrics) throws IOException {
        SiteConfig site = config.siteOfNode(nodeId);
        SiteConfig other = config.otherSite(site.id());
        NodeConfig node = config.node(nodeId);
        int index = site.indexOf(nodeId);
        long epoch = state.epoch();
        RaftGroup group = group(site, epoch);
        RaftPeerId peerId = RaftPeerId.valueOf(nodeId);
        Files.createDirectories(layout.ratis(epoch));
        SiteConfig primarySite = state.isPrimary() ? site : other;
        SiteConfig mirrorSite = state.isPrimary() ? other : site;
        PicsouParams params = params(config.channel(), primarySite, mirrorSite, epoch, state.baseSeq());
        TransportFactory transport = transport(config, site, index, node);
        PrimaryHook primary = null;
        KvStateMachine kv = null;
        MirrorHook mirror = null;
        RaftClient client = SiteClients.newClient(group);
        org.apache.ratis.statemachine.StateMachine sm;
        if (state.isPrimary()) {
            kv = new KvStateMachine(layout.kv(epoch));
            PrimaryHook.Builder builder = PrimaryHook.builder();
            if (state.failover()) {
                builder.startDegradedAbove(state.baseSeq());
            }
            primary = builder
                    .sites(site.id(), other.id())
                    .replicaIndex(index)
                    .params(params)
                    .protocol(Protocols.byName(config.channel().protocol()))
                    .transport(transport)
                    .hookStoreDir(layout.hook(epoch))
                    .stateMachine(kv)
                    .durability(durability(site.durability()))
                    .outboxLimit(new OutboxLimit(config.outbox().diskCapBytes(), config.outbox().alarmFraction()))
                    .metrics(metrics)
                    .build();
            sm = primary.stateMachine();
        } else {
            mirror = MirrorHook.builder()
                    .sites(site.id(), other.id())
                    .replicaIndex(index)
                    .params(params)
                    .protocol(Protocols.byName(config.channel().protocol()))
                    .transport(transport)
                    .storeDir(layout.mirror(epoch))
                    .applier(KvCommand::applyTo)
                    .raftClient(() -> SiteClients.newClient(group))
                    .closeRaftClientOnClose(true)
                    .metrics(metrics)
                    .build();
            sm = mirror.stateMachine();
        }
        RaftServer server = RaftServer.newBuilder()
                .setServerId(peerId)
                .setGroup(group)
                .setProperties(properties(config.raft(), node, layout, epoch))
                .setStateMachine(sm)
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        EpochRuntime runtime = new EpochRuntime(state, group, peerId, server, primary, kv, mirror, client);
        try {
            server.start();
            if (primary != null) {
                primary.start();
            } else {
                mirror.start();
            }
        } catch (IOException | RuntimeException e) {
            runtime.close();
            throw e;
        }
        LOG.info("node {} runs epoch {} as {} of site {} (group {})", nodeId, epoch, state.role(), site.id(),
                group.getGroupId());
        return runtime;
    }

    boolean isLeader() {
        try {
            RaftServer.Division d = server.getDivision(group.getGroupId());
            return d.getInfo().isLeader();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    String leaderId() {
        try {
            RaftServer.Division d = server.getDivision(group.getGroupId());
            RaftPeerId leader = d.getInfo().getLeaderId();
            return leader == null ? null : leader.toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Whether this node's application state is exactly the state at the seq its hook metadata reports. Always on a
     * mirror (one store holds both). On a primary, once the KV state machine has applied every entry the hook store
     * numbered and is not replaying entries its store already held: after a restart the two stores come back at
     * their own last flushes (neither writes a WAL) and agree again once Ratis has replayed its log.
     */
    boolean stateSettled() {
        return primary == null || (primary.stateMachine().innerHasApplied() && !kv.isReplaying());
    }

    /** Flushes the store this epoch's hook keeps without a WAL: the primary's hook store, or the mirror's store. */
    void flushLocalStore() {
        if (primary != null) {
            primary.stateMachine().flushHookStore();
        } else {
            mirror.stateMachine().flushStore();
        }
    }

    MirrorStateMachine mirrorStateMachine() {
        return mirror == null ? null : mirror.stateMachine();
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing the node's Raft client", e);
        }
        try {
            server.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("closing the Raft server of epoch {}", state.epoch(), e);
        }
        if (primary != null) {
            primary.close();
        }
        if (mirror != null) {
            mirror.close();
        }
    }

    static PicsouParams params(ChannelConfig c, SiteConfig primary, SiteConfig mirror, long epoch, long forkSeq) {
        return PicsouParams.builder(primary.nodes().size(), mirror.nodes().size())
                .epoch(epoch)
                .forkSeq(forkSeq)
                .senderFaults(primary.u(), primary.r())
                .receiverFaults(mirror.u(), mirror.r())
                .windowEntries(c.windowEntries())
                .windowBytes(c.windowBytes())
                .batchMaxBytes(Math.toIntExact(Math.min(Integer.MAX_VALUE, c.batchBytes())))
                .batchDelayNanos(c.flushInterval().toNanos())
                .phiBits(c.phiBits())
                .ackIntervalNanos(c.ackInterval().toNanos())
                .reorderGraceNanos(c.reorderGrace().toNanos())
                .initialRetransmitTimeoutNanos(c.retransmitTimeoutInitial().toNanos())
                .minRetransmitTimeoutNanos(c.retransmitTimeoutMin().toNanos())
                .maxRetransmitTimeoutNanos(c.retransmitTimeoutMax().toNanos())
                .build();
    }

    static DurabilityPolicy durability(DurabilityConfig d) {
        if (d.mode() == DurabilityMode.ASYNC) {
            return DurabilityPolicy.async();
        }
        return DurabilityPolicy.sync(d.syncTimeout(), d.onTimeout() == SyncTimeoutAction.KEEP_BLOCKING
                ? DurabilityPolicy.OnTimeout.KEEP_BLOCKING : DurabilityPolicy.OnTimeout.DEGRADE_TO_ASYNC);
    }

    private static TransportFactory transport(DeploymentConfig config, SiteConfig site, int index, NodeConfig node) {
        PeerDirectory directory = new PeerDirectory();
        for (SiteConfig s : config.sites()) {
            for (int i = 0; i < s.nodes().size(); i++) {
                directory.register(new PeerId(s.id(), i), s.nodes().get(i).picsou().toSocketAddress());
            }
        }
        NettyTransportConfig.Builder b = NettyTransportConfig.builder(new PeerId(site.id(), index),
                        node.picsou().toSocketAddress(), directory)
                .maxFrameBytes(Math.toIntExact(Math.min(Integer.MAX_VALUE, config.channel().maxFrameBytes())));
        TlsConfig tls = config.tls();
        if (tls.enabled()) {
            b.tls(TlsSettings.mutual(tls.keyStore(), tls.keyStorePassword().toCharArray(), tls.trustStore(),
                    tls.trustStorePassword().toCharArray()));
        }
        return NettyTransport.factory(b.build());
    }

    private static RaftProperties properties(RaftConfig raft, NodeConfig node, EpochLayout layout, long epoch) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
        GrpcConfigKeys.Server.setHost(p, node.raft().host());
        GrpcConfigKeys.Server.setPort(p, node.raft().port());
        RaftServerConfigKeys.setStorageDir(p, List.of(layout.ratis(epoch).toFile()));
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, millis(raft.electionTimeoutMin()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, millis(raft.electionTimeoutMax()));
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(raft.segmentSizeBytes()));
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, raft.snapshotThresholdEntries() > 0);
        if (raft.snapshotThresholdEntries() > 0) {
            RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, raft.snapshotThresholdEntries());
        }
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(p, true);
        return RatisServerDefaults.applyTo(p);
    }

    private static TimeDuration millis(java.time.Duration d) {
        return TimeDuration.valueOf(d.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }
}
