package dev.picsou.mirror.server.embedded;

import com.codahale.metrics.MetricRegistry;
import dev.picsou.mirror.bridge.baseline.Protocols;
import dev.picsou.mirror.bridge.hook.MirrorHook;
import dev.picsou.mirror.bridge.hook.MirrorStateMachine;
import dev.picsou.mirror.bridge.hook.PrimaryHook;
import dev.picsou.mirror.bridge.picsou.PicsouParams;
import dev.picsou.mirror.bridge.picsou.StreamProtocol;
import dev.picsou.mirror.bridge.transport.FaultSettings;
import dev.picsou.mirror.bridge.transport.FaultyTransport;
import dev.picsou.mirror.bridge.transport.LoopbackPorts;
import dev.picsou.mirror.bridge.transport.NettyTransport;
import dev.picsou.mirror.bridge.transport.NettyTransportConfig;
import dev.picsou.mirror.bridge.transport.PeerDirectory;
import dev.picsou.mirror.bridge.transport.PeerId;
import dev.picsou.mirror.bridge.transport.TransportFactory;
import dev.picsou.mirror.server.app.KvCommand;
import dev.picsou.mirror.server.app.KvStateMachine;
import dev.picsou.mirror.server.site.LocalSite;
import dev.picsou.mirror.server.site.LocalSiteConfig;
import dev.picsou.mirror.server.site.NodeContext;
import dev.picsou.mirror.storage.StateDigest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import org.apache.ratis.statemachine.StateMachine;

/**
 * A primary site and a mirror site of the reference KV application, running in this JVM on loopback: real Ratis
 * servers, real RocksDB, the Picsou channel over real Netty TCP. What the demo, the benchmark and the multi-site
 * tests stand on.
 *
 * <p>Each site is a {@link LocalSite}. A primary node's state machine is the {@link KvStateMachine} wrapped by the
 * mirroring hook; a mirror node's is the {@link MirrorStateMachine} with the KV applier. Every replica has its own
 * Netty transport on a free port, optionally behind a {@link FaultyTransport} whose faults tests switch at run
 * time. Stopping and restarting a node rebuilds its hook on the same directories, as a process restart would.
 *
 * <p>Thread-safe for the accessors; start, stop, restart and close are meant to be called from one thread.
 */
public final class EmbeddedDeployment implements AutoCloseable {
    /** Site id of the primary. */
    public static final String PRIMARY = "dc-primary";
    /** Site id of the mirror. */
    public static final String MIRROR = "dc-mirror";
    /**
     * Floor of the reorder grace. Raft followers apply an entry (and send their share of the stream) after the
     * leader does; with six Ratis servers sharing one small machine that skew reaches tens of milliseconds, and a
     * shorter grace reads it as loss (measured: 1.35 copies per entry at 10 ms, 1.004 at 100 ms).
     */
    static final Duration REORDER_GRACE = Duration.ofMillis(100);

    private final Options options;
    private final StreamProtocol protocol;
    private final PicsouParams params;
    private final PeerDirectory directory = new PeerDirectory();
    private final Map<PeerId, InetSocketAddress> linkAddresses = new ConcurrentHashMap<>();
    private final Map<Integer, PrimaryHook> primaryHooks = new ConcurrentHashMap<>();
    private final Map<Integer, MirrorHook> mirrorHooks = new ConcurrentHashMap<>();
    private final Map<Integer, KvStateMachine> primaryKv = new ConcurrentHashMap<>();
    private final Map<Integer, MetricRegistry> primaryMetrics = new ConcurrentHashMap<>();
    private final List<FaultyTransport> faulty = new ArrayList<>();
    private final Map<Long, Long> committed = new ConcurrentHashMap<>();
    private final List<String> disagreements = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<Integer, MetricRegistry> mirrorMetrics = new ConcurrentHashMap<>();
    private volatile FaultSettings faults = FaultSettings.NONE;
    private final LocalSite primary;
    private final LocalSite mirror;

    /**
     * How to lay out the deployment.
     *
     * @param protocol      picsou, or a baseline (ata, ll, otu, ost)
     * @param primaryNodes  replicas of the primary site
     * @param mirrorNodes   replicas of the mirror site
     * @param baseDirectory a fresh directory for all data
     * @param faultyLinks   put every replica's transport behind a {@link FaultyTransport} (see {@link #faults})
     * @param seed          seed of the fault decorators
     * @param recordEntries remember every committed entry's checksum, from every primary replica, for checks
     */
    public record Options(String protocol, int primaryNodes, int mirrorNodes, Path baseDirectory, boolean faultyLinks,
                          long seed, boolean recordEntries) {
        public Options {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(baseDirectory, "baseDirectory");
            if (primaryNodes < 1 || mirrorNodes < 1) {
                throw new IllegalArgumentException("each site needs at least one node");
            }
        }

        /** 3 + 3 Picsou replicas, plain links. */
        public static Options defaults(Path baseDirectory) {
            return new Options("picsou", 3, 3, baseDirectory, false, 1, false);
        }

        public Options withProtocol(String name) {
            return new Options(name, primaryNodes, mirrorNodes, baseDirectory, faultyLinks, seed, recordEntries);
        }

        public Options withFaultyLinks(boolean on) {
            return new Options(protocol, primaryNodes, mirrorNodes, baseDirectory, on, seed, recordEntries);
        }

        public Options withRecordedEntries(boolean on) {
            return new Options(protocol, primaryNodes, mirrorNodes, baseDirectory, faultyLinks, seed, on);
        }

        public Options withSeed(long s) {
            return new Options(protocol, primaryNodes, mirrorNodes, baseDirectory, faultyLinks, s, recordEntries);
        }
    }

    private EmbeddedDeployment(Options options) {
        this.options = options;
        this.protocol = Protocols.byName(options.protocol());
        this.params = PicsouParams.builder(options.primaryNodes(), options.mirrorNodes())
                .reorderGraceNanos(REORDER_GRACE.toNanos()).build();
        for (int i = 0; i < options.primaryNodes(); i++) {
            register(new PeerId(PRIMARY, i));
        }
        for (int i = 0; i < options.mirrorNodes(); i++) {
            register(new PeerId(MIRROR, i));
        }
        this.mirror = new LocalSite(LocalSiteConfig.defaults(MIRROR, options.baseDirectory().resolve(MIRROR))
                .withNodeCount(options.mirrorNodes()), this::newMirrorStateMachine);
        this.primary = new LocalSite(LocalSiteConfig.defaults(PRIMARY, options.baseDirectory().resolve(PRIMARY))
                .withNodeCount(options.primaryNodes()), this::newPrimaryStateMachine);
    }

    /** Starts the mirror site, then the primary site, each until it has a leader. */
    public static EmbeddedDeployment start(Options options) throws IOException {
        EmbeddedDeployment d = new EmbeddedDeployment(options);
        try {
            d.mirror.start();
            d.primary.start();
            return d;
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    public LocalSite primary() {
        return primary;
    }

    public LocalSite mirror() {
        return mirror;
    }

    public PicsouParams params() {
        return params;
    }

    /** The hook of primary replica {@code i} as it runs now (rebuilt on restart), or null when it is stopped. */
    public PrimaryHook primaryHook(int i) {
        return primary.isRunning(i) ? primaryHooks.get(i) : null;
    }

    /** The hook of mirror replica {@code i} as it runs now, or null when it is stopped. */
    public MirrorHook mirrorHook(int i) {
        return mirror.isRunning(i) ? mirrorHooks.get(i) : null;
    }

    /** The KV state machine of primary replica {@code i} as it runs now. */
    public KvStateMachine primaryKv(int i) {
        return primaryKv.get(i);
    }

    /** Highest seq any running primary replica committed. */
    public long primarySeq() {
        long max = 0;
        for (int i = 0; i < options.primaryNodes(); i++) {
            PrimaryHook h = primaryHook(i);
            if (h != null) {
                max = Math.max(max, h.link().committedSeq());
            }
        }
        return max;
    }

    /**
     * The QUACKed seq the protocol promises: for Picsou and all-to-all, the lowest among running primary replicas
     * (every one of them hears acks and knows the mirror holds this much); for the leader-based baselines (LL, OTU),
     * whose acks go to the sending leader only, the highest; one-shot has no acks at all and reports 0.
     */
    public long quackedSeq() {
        if (!protocolQuacks()) {
            return 0;
        }
        boolean everyReplica = !leaderAcked();
        long result = everyReplica ? Long.MAX_VALUE : 0;
        for (int i = 0; i < options.primaryNodes(); i++) {
            PrimaryHook h = primaryHook(i);
            if (h != null) {
                long q = h.link().quackedSeq();
                result = everyReplica ? Math.min(result, q) : Math.max(result, q);
            }
        }
        return result == Long.MAX_VALUE ? 0 : result;
    }

    /** Whether the protocol acknowledges at all (one-shot does not). */
    public boolean protocolQuacks() {
        return !protocol.name().equals("ost");
    }

    private boolean leaderAcked() {
        return protocol.name().equals("ll") || protocol.name().equals("otu");
    }

    /** Highest durable seq of any running mirror replica. */
    public long mirrorSeq() {
        long max = 0;
        for (int i = 0; i < options.mirrorNodes(); i++) {
            MirrorHook h = mirrorHook(i);
            if (h != null) {
                max = Math.max(max, h.stateMachine().durableSeq());
            }
        }
        return max;
    }

    /** Lowest durable seq among running mirror replicas. */
    public long mirrorSeqMin() {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < options.mirrorNodes(); i++) {
            MirrorHook h = mirrorHook(i);
            if (h != null) {
                min = Math.min(min, h.stateMachine().durableSeq());
            }
        }
        return min == Long.MAX_VALUE ? 0 : min;
    }

    /** Digest of primary replica {@code i}'s KV state. */
    public StateDigest primaryDigest(int i) {
        return primaryKv.get(i).digest();
    }

    /** Digest of mirror replica {@code i}'s materialized KV state. */
    public StateDigest mirrorDigest(int i) {
        return mirrorHooks.get(i).stateMachine().store().kv().digest();
    }

    /**
     * Waits until the stream is drained: every running primary replica committed the primary's last seq, every
     * running mirror replica is durable up to it and every running primary replica holds the QUACK for it. Returns whether it happened within {@code timeout}.
     */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        return await(timeout, () -> {
            long seq = primarySeq();
            return primarySeqMin() >= seq && mirrorSeqMin() >= seq && (!protocolQuacks() || quackedSeq() >= seq);
        });
    }

    /** Lowest seq committed by a running primary replica (a restarted one catches up through Raft). */
    public long primarySeqMin() {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < options.primaryNodes(); i++) {
            PrimaryHook h = primaryHook(i);
            if (h != null) {
                min = Math.min(min, h.link().committedSeq());
            }
        }
        return min == Long.MAX_VALUE ? 0 : min;
    }

    /** Polls {@code condition} every 20 ms until it holds or {@code timeout} passes. */
    public static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Entry transmissions (first sends and resends) by every primary replica so far. */
    public long entriesSent() {
        return primaryMetrics.values().stream()
                .mapToLong(m -> m.getMeters().entrySet().stream()
                        .filter(e -> e.getKey().endsWith(".entries_sent"))
                        .mapToLong(e -> e.getValue().getCount()).sum())
                .sum();
    }

    /** Commit-to-QUACK latency on primary replica {@code i} (nanoseconds), or null before it ran. */
    public com.codahale.metrics.Snapshot quackLatency(int i) {
        MetricRegistry m = primaryMetrics.get(i);
        if (m == null) {
            return null;
        }
        return m.getTimers().entrySet().stream().filter(e -> e.getKey().endsWith(".quack_latency"))
                .map(e -> e.getValue().getSnapshot()).findFirst().orElse(null);
    }

    /**
     * Every entry committed on any primary replica so far, as seq -> (term, index, CRC32C) packed in one long per
     * entry ({@link #recordKey}); only with {@link Options#recordEntries()}.
     */
    public Map<Long, Long> committedEntries() {
        return java.util.Collections.unmodifiableMap(committed);
    }

    /** Places where two primary replicas gave the same seq to different entries (must stay empty). */
    public List<String> seqDisagreements() {
        return List.copyOf(disagreements);
    }

    /** What {@link #committedEntries()} keeps of an entry: its Raft index and payload checksum. */
    public static long recordKey(long raftIndex, int crc32c) {
        return (raftIndex << 32) ^ (crc32c & 0xFFFFFFFFL);
    }

    /** Entries applied by mirror replica {@code i} since it last started. */
    public long mirrorApplied(int i) {
        MetricRegistry m = mirrorMetrics.get(i);
        return m == null ? 0 : m.getMeters().entrySet().stream().filter(e -> e.getKey().endsWith(".applied_entries"))
                .mapToLong(e -> e.getValue().getCount()).sum();
    }

    private void record(int replica, dev.picsou.mirror.bridge.model.Entry e) {
        long key = recordKey(e.raftIndex(), e.crc32c());
        Long previous = committed.putIfAbsent(e.seq(), key);
        if (previous != null && previous != key) {
            disagreements.add("seq " + e.seq() + ": replica " + replica + " committed index/crc " + key
                    + ", another replica " + previous);
        }
    }

    /** Resends by every primary replica so far. */
    public long resends() {
        return primaryMetrics.values().stream()
                .mapToLong(m -> m.getMeters().entrySet().stream()
                        .filter(e -> e.getKey().endsWith(".resends"))
                        .mapToLong(e -> e.getValue().getCount()).sum())
                .sum();
    }

    /** Applies {@code settings} to every faulty link now and to those built later (restarts). */
    public void faults(FaultSettings settings) {
        requireFaultyLinks();
        faults = settings;
        synchronized (faulty) {
            faulty.forEach(f -> f.setSettings(settings));
        }
    }

    /** Cuts every frame between the two sites until {@link #heal()}. */
    public void partitionSites() {
        requireFaultyLinks();
        synchronized (faulty) {
            faulty.forEach(f -> f.blockWhen((from, to) -> !from.siteId().equals(to.siteId())));
        }
    }

    /** Ends a partition. */
    public void heal() {
        requireFaultyLinks();
        synchronized (faulty) {
            faulty.forEach(FaultyTransport::heal);
        }
    }

    public void stopPrimary(int i) throws IOException {
        primary.stop(i);
        closeQuietly(primaryHooks.get(i));
    }

    public void restartPrimary(int i) throws IOException {
        primary.restart(i);
    }

    public void stopMirror(int i) throws IOException {
        mirror.stop(i);
        closeQuietly(mirrorHooks.get(i));
    }

    public void restartMirror(int i) throws IOException {
        mirror.restart(i);
    }

    @Override
    public void close() {
        closeQuietly(primary);
        primaryHooks.values().forEach(EmbeddedDeployment::closeQuietly);
        closeQuietly(mirror);
        mirrorHooks.values().forEach(EmbeddedDeployment::closeQuietly);
    }

    private StateMachine newPrimaryStateMachine(NodeContext node) {
        int i = node.nodeIndex();
        closeQuietly(primaryHooks.remove(i));
        MetricRegistry metrics = new MetricRegistry();
        KvStateMachine kv = new KvStateMachine(node.dataDirectory().resolve("kv"));
        PrimaryHook hook = PrimaryHook.builder()
                .sites(PRIMARY, MIRROR)
                .replicaIndex(i)
                .params(params)
                .protocol(protocol)
                .transport(transport(new PeerId(PRIMARY, i)))
                .hookStoreDir(node.dataDirectory().resolve("hook"))
                .stateMachine(kv)
                .metrics(metrics)
                .observer(options.recordEntries() ? e -> record(i, e) : e -> { })
                .build();
        primaryKv.put(i, kv);
        primaryMetrics.put(i, metrics);
        primaryHooks.put(i, hook);
        hook.start();
        return hook.stateMachine();
    }

    private StateMachine newMirrorStateMachine(NodeContext node) {
        int i = node.nodeIndex();
        closeQuietly(mirrorHooks.remove(i));
        MetricRegistry registry = new MetricRegistry();
        MirrorHook hook = MirrorHook.builder()
                .sites(MIRROR, PRIMARY)
                .replicaIndex(i)
                .params(params)
                .protocol(protocol)
                .transport(transport(new PeerId(MIRROR, i)))
                .storeDir(node.dataDirectory().resolve("mirror"))
                .applier(KvCommand::applyTo)
                .raftClient(mirror::newClient)
                .closeRaftClientOnClose(true)
                .metrics(registry)
                .build();
        mirrorMetrics.put(i, registry);
        mirrorHooks.put(i, hook);
        hook.start();
        return hook.stateMachine();
    }

    private TransportFactory transport(PeerId self) {
        NettyTransportConfig config = NettyTransportConfig.builder(self, linkAddresses.get(self), directory).build();
        TransportFactory netty = NettyTransport.factory(config);
        if (!options.faultyLinks()) {
            return netty;
        }
        return listener -> {
            FaultyTransport t = new FaultyTransport(netty, listener, faults, options.seed() ^ self.hashCode());
            synchronized (faulty) {
                faulty.add(t);
            }
            return t;
        };
    }

    private void register(PeerId peer) {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), LoopbackPorts.free());
        linkAddresses.put(peer, address);
        directory.register(peer, address);
    }

    private void requireFaultyLinks() {
        if (!options.faultyLinks()) {
            throw new IllegalStateException("this deployment was started without faulty links");
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // Best effort on the way down; the caller is shutting everything.
        }
    }
}
