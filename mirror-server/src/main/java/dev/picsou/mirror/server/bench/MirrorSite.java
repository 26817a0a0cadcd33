package dev.picsou.mirror.server.bench;

import com.codahale.metrics.MetricRegistry;
import dev.picsou.mirror.bridge.baseline.Protocols;
import dev.picsou.mirror.bridge.hook.MirrorHook;
import dev.picsou.mirror.bridge.picsou.PicsouParams;
import dev.picsou.mirror.bridge.transport.PeerId;
import dev.picsou.mirror.bridge.transport.RateLimit;
import dev.picsou.mirror.server.app.KvCommand;
import dev.picsou.mirror.server.site.LocalSite;
import dev.picsou.mirror.server.site.LocalSiteConfig;
import dev.picsou.mirror.server.site.NodeContext;
import dev.picsou.mirror.storage.MirrorStore;
import dev.picsou.mirror.storage.StateDigest;
import dev.picsou.mirror.storage.StoreCursor;
import dev.picsou.mirror.storage.StoredEntry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.ratis.statemachine.StateMachine;

/**
 * The mirror site of a bench run: a {@link LocalSite} whose replicas run the mirror hook with the KV applier, the
 * Picsou link on the bench endpoints (behind the WAN emulator: acks cross the same emulated uplinks). Runs in the
 * bench process or in a child process ({@link MirrorSiteMain}); the leader is moved to replica 0 and the highest
 * {@code crashReceivers} replicas are stopped at start.
 */
final class MirrorSite implements AutoCloseable {
    private final BenchScenario scenario;
    private final PicsouParams params;
    private final RateLimit wan;
    private final BenchLinks links;
    private final Map<Integer, MirrorHook> hooks = new ConcurrentHashMap<>();
    private final LocalSite site;

    MirrorSite(BenchScenario scenario, BenchLinks links, Path dir) {
        this.scenario = scenario;
        this.params = BenchParams.of(scenario);
        this.wan = BenchParams.wan(scenario, params);
        this.links = links;
        this.site = new LocalSite(LocalSiteConfig.defaults(BenchLinks.MIRROR, dir)
                .withNodeCount(scenario.receivers()), this::newStateMachine);
    }

    /** Starts every replica, moves the leader to replica 0, stops the replicas to crash. */
    MirrorSite start() throws IOException {
        site.start();
        Leadership.moveToFirstReplica(site);
        for (int k = 0; k < scenario.crashReceivers(); k++) {
            stop(scenario.receivers() - 1 - k);
        }
        return this;
    }

    private void stop(int i) throws IOException {
        site.stop(i);
        MirrorHook hook = hooks.remove(i);
        if (hook != null) {
            hook.close();
        }
    }

    /** Lowest durable seq among running replicas. */
    long durableMin() {
        long min = Long.MAX_VALUE;
        for (MirrorHook h : hooks.values()) {
            min = Math.min(min, h.stateMachine().durableSeq());
        }
        return min == Long.MAX_VALUE ? 0 : min;
    }

    /** Highest durable seq among running replicas. */
    long durableMax() {
        long max = 0;
        for (MirrorHook h : hooks.values()) {
            max = Math.max(max, h.stateMachine().durableSeq());
        }
        return max;
    }

    /** Index of the site's leader now, or -1. */
    int leader() {
        return site.leaderIndex();
    }

    /** Bytes the mirror's transports sent to the primary (acks). */
    long bytesSent() {
        return links.bytesSent();
    }

    /** Per running replica: its stream digest (entry log in seq order) and KV state digest. */
    List<ReplicaCheck> verify() {
        List<ReplicaCheck> out = new ArrayList<>();
        for (int i = 0; i < scenario.receivers(); i++) {
            MirrorHook h = hooks.get(i);
            if (h == null) {
                continue;
            }
            MirrorStore store = h.stateMachine().store();
            StreamDigest digest = new StreamDigest();
            try (StoreCursor<StoredEntry> cursor = store.entries().cursor(1)) {
                while (cursor.hasNext()) {
                    StoredEntry e = cursor.next();
                    digest.add(e.seq(), e.payload().length, e.crc32c());
                }
            }
            StateDigest kv = store.kv().digest();
            out.add(new ReplicaCheck(i, h.stateMachine().durableSeq(), digest.snapshot(), kv.hex(), kv.pairCount()));
        }
        return out;
    }

    /**
     * What one mirror replica holds after the drain.
     *
     * @param replica  index
     * @param durable  its durable seq
     * @param stream   digest of its entry log
     * @param kvSha256 hex digest of its KV state
     * @param kvPairs  keys in its KV state
     */
    record ReplicaCheck(int replica, long durable, StreamDigest.Snapshot stream, String kvSha256, long kvPairs) {
    }

    @Override
    public void close() {
        site.close();
        hooks.values().forEach(MirrorHook::close);
    }

    private StateMachine newStateMachine(NodeContext node) {
        int i = node.nodeIndex();
        MirrorHook hook = MirrorHook.builder()
                .sites(BenchLinks.MIRROR, BenchLinks.PRIMARY)
                .replicaIndex(i)
                .params(params)
                .protocol(Protocols.byName(scenario.protocol()))
                .transport(links.transport(new PeerId(BenchLinks.MIRROR, i), wan))
                .storeDir(node.dataDirectory().resolve("mirror"))
                .applier(KvCommand::applyTo)
                .raftClient(site::newClient)
                .closeRaftClientOnClose(true)
                .metrics(new MetricRegistry())
                .build();
        MirrorHook previous = hooks.put(i, hook);
        if (previous != null) {
            previous.close();
        }
        hook.start();
        return hook.stateMachine();
    }
}
