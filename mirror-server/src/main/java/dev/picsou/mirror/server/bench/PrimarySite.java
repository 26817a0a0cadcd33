package dev.picsou.mirror.server.bench;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import dev.picsou.mirror.bridge.baseline.Protocols;
import dev.picsou.mirror.bridge.hook.PrimaryHook;
import dev.picsou.mirror.bridge.picsou.PicsouParams;
import dev.picsou.mirror.bridge.transport.PeerId;
import dev.picsou.mirror.bridge.transport.RateLimit;
import dev.picsou.mirror.server.app.KvStateMachine;
import dev.picsou.mirror.server.site.LocalSite;
import dev.picsou.mirror.server.site.LocalSiteConfig;
import dev.picsou.mirror.server.site.NodeContext;
import dev.picsou.mirror.storage.StateDigest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

import org.apache.ratis.statemachine.StateMachine;

/**
 * The primary site of a bench run, in this process: a {@link LocalSite} of the KV application, each replica's
 * state machine wrapped by the mirroring hook whose link sends on the bench endpoints (behind the WAN emulator),
 * or the bare KV state machine for the scenario {@code none}. Each replica folds the entries it numbers into a
 * {@link StreamDigest} (on the apply thread) for the delivery check.
 */
final class PrimarySite implements AutoCloseable {
    private final BenchScenario scenario;
    private final PicsouParams params;
    private final RateLimit wan;
    private final BenchLinks links;
    private final Map<Integer, PrimaryHook> hooks = new ConcurrentHashMap<>();
    private final Map<Integer, KvStateMachine> kv = new ConcurrentHashMap<>();
    private final Map<Integer, MetricRegistry> metrics = new ConcurrentHashMap<>();
    private final Map<Integer, StreamDigest> streams = new ConcurrentHashMap<>();
    private final LocalSite site;

    PrimarySite(BenchScenario scenario, BenchLinks links, Path dir) {
        this.scenario = scenario;
        this.params = BenchParams.of(scenario);
        this.wan = BenchParams.wan(scenario, params);
        this.links = links;
        this.site = new LocalSite(LocalSiteConfig.defaults(BenchLinks.PRIMARY, dir)
                .withNodeCount(scenario.senders()), this::newStateMachine);
    }

    /** Starts every replica, moves the leader to replica 0, stops the replicas to crash. */
    PrimarySite start() throws IOException {
        site.start();
        Leadership.moveToFirstReplica(site);
        for (int k = 0; k < scenario.crashSenders(); k++) {
            int i = scenario.senders() - 1 - k;
            site.stop(i);
            PrimaryHook hook = hooks.remove(i);
            if (hook != null) {
                hook.close();
            }
            kv.remove(i);
            streams.remove(i);
        }
        return this;
    }

    LocalSite site() {
        return site;
    }

    /** Highest seq committed by a running replica (0 for {@code none}). */
    long committedSeq() {
        long max = 0;
        for (PrimaryHook h : hooks.values()) {
            max = Math.max(max, h.link().committedSeq());
        }
        return max;
    }

    /** Lowest seq committed by a running replica. */
    long committedSeqMin() {
        long min = Long.MAX_VALUE;
        for (PrimaryHook h : hooks.values()) {
            min = Math.min(min, h.link().committedSeq());
        }
        return min == Long.MAX_VALUE ? 0 : min;
    }

    /**
     * The QUACKed seq the protocol promises: for Picsou and ATA the lowest among running replicas (each hears
     * acks), for the leader-acked baselines (LL, OTU) the highest; one-shot has none (0).
     */
    long quackedSeq() {
        String p = scenario.protocol();
        if (p.equals("ost") || !scenario.mirrored()) {
            return 0;
        }
        boolean leaderAcked = p.equals("ll") || p.equals("otu");
        long result = leaderAcked ? 0 : Long.MAX_VALUE;
        for (PrimaryHook h : hooks.values()) {
            long q = h.link().quackedSeq();
            result = leaderAcked ? Math.max(result, q) : Math.min(result, q);
        }
        return result == Long.MAX_VALUE ? 0 : result;
    }

    /**
     * Waits until every running replica's transport is connected to each of the first {@code mirrorReplicas}
     * mirror replicas (asking connects it), so that the load does not start into links still connecting: the
     * transport drops frames to an unreachable peer, and one-shot never resends them.
     */
    boolean awaitLinksUp(int mirrorReplicas, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean up = true;
            for (PrimaryHook h : hooks.values()) {
                for (int j = 0; j < mirrorReplicas; j++) {
                    up &= h.link().transport().isWritable(new PeerId(BenchLinks.MIRROR, j));
                }
            }
            if (up) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
    }

    /** Per running replica: its link's state, committed and QUACKed seq (for problem reports). */
    String describeLinks() {
        StringBuilder b = new StringBuilder();
        new java.util.TreeMap<>(hooks).forEach((i, h) -> b.append(b.length() == 0 ? "" : "; ").append(i)
                .append(": ").append(h.link().state()).append(" committed ").append(h.link().committedSeq())
                .append(" QUACKed ").append(h.link().quackedSeq()));
        return b.toString();
    }

    /** Each running replica's engine as it describes itself (diagnosis: {@code -Dpicsou.bench.engineStates=true}). */
    String describeEngines() {
        StringBuilder b = new StringBuilder();
        new java.util.TreeMap<>(hooks).forEach((i, h) -> b.append(System.lineSeparator()).append("  ").append(i)
                .append(": ").append(h.link().describeEngine(java.time.Duration.ofSeconds(5))));
        return b.toString();
    }

    /** Entry transmissions (first sends and resends) by every replica so far. */
    long entriesSent() {
        return sumMeters(".entries_sent", Meter::getCount);
    }

    /** Resends by every replica so far. */
    long resends() {
        return sumMeters(".resends", Meter::getCount);
    }

    /** Commit-to-QUACK latency on replica {@code i}, nanoseconds, or null. */
    Snapshot quackLatency(int i) {
        MetricRegistry m = metrics.get(i);
        if (m == null) {
            return null;
        }
        for (Map.Entry<String, Timer> e : m.getTimers().entrySet()) {
            if (e.getKey().endsWith(".quack_latency")) {
                return e.getValue().getSnapshot();
            }
        }
        return null;
    }

    /** Bytes the primary's transports sent (data frames and their headers). */
    long bytesSent() {
        return links.bytesSent();
    }

    /** Index of the leader now, or -1. */
    int leader() {
        return site.leaderIndex();
    }

    /** The stream digests of the running replicas, by index. */
    Map<Integer, StreamDigest.Snapshot> streamDigests() {
        Map<Integer, StreamDigest.Snapshot> out = new java.util.TreeMap<>();
        streams.forEach((i, d) -> out.put(i, d.snapshot()));
        return out;
    }

    /** The KV digests of the running replicas, by index. */
    Map<Integer, StateDigest> kvDigests() {
        Map<Integer, StateDigest> out = new java.util.TreeMap<>();
        kv.forEach((i, k) -> out.put(i, k.digest()));
        return out;
    }

    /** Highest Raft index applied by the running replicas: lowest and highest. */
    long[] appliedIndexRange() throws IOException {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < site.size(); i++) {
            if (site.isRunning(i)) {
                long applied = site.division(i).getInfo().getLastAppliedIndex();
                min = Math.min(min, applied);
                max = Math.max(max, applied);
            }
        }
        return new long[] {min == Long.MAX_VALUE ? 0 : min, max};
    }

    private long sumMeters(String suffix, ToLongFunction<Meter> f) {
        long sum = 0;
        for (MetricRegistry m : metrics.values()) {
            for (Map.Entry<String, Meter> e : m.getMeters().entrySet()) {
                if (e.getKey().endsWith(suffix)) {
                    sum += f.applyAsLong(e.getValue());
                }
            }
        }
        return sum;
    }

    @Override
    public void close() {
        site.close();
        hooks.values().forEach(PrimaryHook::close);
    }

    private StateMachine newStateMachine(NodeContext node) {
        int i = node.nodeIndex();
        KvStateMachine machine = new KvStateMachine(node.dataDirectory().resolve("kv"));
        kv.put(i, machine);
        if (!scenario.mirrored()) {
            return machine;
        }
        MetricRegistry registry = new MetricRegistry();
        StreamDigest stream = new StreamDigest();
        PrimaryHook hook = PrimaryHook.builder()
                .sites(BenchLinks.PRIMARY, BenchLinks.MIRROR)
                .replicaIndex(i)
                .params(params)
                .protocol(Protocols.byName(scenario.protocol()))
                .transport(links.transport(new PeerId(BenchLinks.PRIMARY, i), wan))
                .hookStoreDir(node.dataDirectory().resolve("hook"))
                .stateMachine(machine)
                .metrics(registry)
                .observer(e -> stream.add(e.seq(), e.payloadLength(), e.crc32c()))
                .build();
        metrics.put(i, registry);
        streams.put(i, stream);
        PrimaryHook previous = hooks.put(i, hook);
        if (previous != null) {
            previous.close();
        }
        hook.start();
        return hook.stateMachine();
    }
}
