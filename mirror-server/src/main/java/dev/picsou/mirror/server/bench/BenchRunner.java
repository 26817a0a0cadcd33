package dev.picsou.mirror.server.bench;

import com.codahale.metrics.Snapshot;
import dev.picsou.mirror.bridge.picsou.PicsouParams;
import dev.picsou.mirror.server.embedded.EmbeddedDeployment;
import dev.picsou.mirror.storage.StateDigest;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * Runs bench scenarios back to back in this process: for each, a fresh primary site here and a fresh mirror site
 * (in a child process pinned to its own CPU, or here), the load, a warmup, the measured window, the drain and the
 * delivery check.
 *
 * <p>CPU placement ({@link Settings#pin()}): this process (the primary site and the client) runs on CPU 0 and the
 * mirror's child process on CPU 1, for every scenario including {@code none}, so that the primary site has the
 * same one core whether it mirrors or not. Needs {@code taskset} and two CPUs; otherwise nothing is pinned.
 */
public final class BenchRunner {
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(180);

    /**
     * How to run.
     *
     * @param directory      a fresh directory for all data (one subdirectory per scenario)
     * @param separateMirror the mirror site in a child JVM (else in this one)
     * @param pin            when to pin this process to CPU 0 and the mirror's to CPU 1 (when possible)
     * @param jitWarmup      before the first scenario, run an unreported Picsou scenario of the first scenario's
     *                       shape (uncapped) this long, so that both JVMs' JIT compilers are done before anything is
     *                       measured; zero for none
     * @param mirrorDirectory where the mirror site keeps its data (its own file system stands for its own machine's
     *                        disk), or null for {@code directory}
     * @param childHeapBytes  the heap of the mirror's child JVM ({@link FixedHeap})
     */
    public record Settings(Path directory, boolean separateMirror, Pinning pin, Path mirrorDirectory,
                           Duration jitWarmup, long childHeapBytes) {
        public Settings {
            if (childHeapBytes <= 0) {
                throw new IllegalArgumentException("childHeapBytes must be positive, got " + childHeapBytes);
            }
        }
    }

    /** Which scenarios run with the two sites pinned to one CPU each. */
    public enum Pinning {
        /** Every scenario. */
        ALWAYS,
        /**
         * Scenarios without an uplink cap, where the primary's own throughput is what is measured; with a cap the
         * WAN is meant to be the bottleneck and both sites share the whole machine.
         */
        UNCAPPED,
        /** None. */
        NEVER;

        boolean pins(BenchScenario s) {
            return this == ALWAYS || this == UNCAPPED && s.uplinkMbps() == 0;
        }
    }

    private final Settings settings;
    private final PrintStream progress;
    private final boolean pinnable;
    private final DataHeadroom headroom;
    private boolean pinned;
    private ChildMirror child;

    /** {@code progress} gets one line per second of every scenario, or null for none. */
    public BenchRunner(Settings settings, PrintStream progress) {
        this.settings = settings;
        this.progress = progress;
        this.pinnable = settings.pin() != Pinning.NEVER && CpuPinning.available();
        this.headroom = new DataHeadroom(settings.mirrorDirectory() == null ? List.of(settings.directory())
                : List.of(settings.directory(), settings.mirrorDirectory()), settings.separateMirror() ? 2 : 1);
    }

    /** Runs every scenario in order; a scenario that fails to run yields a result with the problem. */
    public List<BenchResult> run(List<BenchScenario> scenarios) throws InterruptedException, IOException {
        List<BenchResult> results = new ArrayList<>();
        boolean anyMirrored = scenarios.stream().anyMatch(BenchScenario::mirrored);
        child = settings.separateMirror() && anyMirrored ? ChildMirror.launch(settings.childHeapBytes()) : null;
        try {
            if (!settings.jitWarmup().isZero() && !scenarios.isEmpty()) {
                BenchScenario first = scenarios.get(0);
                BenchScenario w = new BenchScenario("picsou", first.senders(), first.receivers(), first.entryBytes(),
                        Duration.ZERO, settings.jitWarmup(), 0, 0, 0, 0, 0, first.inFlight());
                say("[warmup] " + w.label() + " (not reported: the JIT compilers of both processes)");
                place(w);
                runOne(w, settings.directory().resolve("warmup"), mirrorBase().resolve("warmup-mirror"));
            }
            for (int i = 0; i < scenarios.size(); i++) {
                BenchScenario s = scenarios.get(i);
                replaceDeadChild();
                place(s);
                say("[" + (i + 1) + "/" + scenarios.size() + "] " + s.label());
                String name = "s" + (i + 1) + "-" + s.protocol();
                Path mirrorDir = mirrorBase().resolve(name + "-mirror");
                BenchResult result = runAndClean(s, settings.directory().resolve(name), mirrorDir);
                if (!result.ok() && replaceDeadChild()) {
                    say("  the mirror's process died during the scenario: running it again with a new one (its JIT"
                            + " starts cold)");
                    result = runAndClean(s, settings.directory().resolve(name), mirrorDir);
                }
                results.add(result);
            }
        } finally {
            if (child != null) {
                child.close();
            }
            if (pinned) {
                CpuPinning.unpin(ProcessHandle.current().pid());
            }
        }
        return results;
    }

    private BenchResult runAndClean(BenchScenario s, Path dir, Path mirrorDir) throws InterruptedException {
        try {
            return runOne(s, dir, mirrorDir);
        } finally {
            deleteQuietly(dir);
            deleteQuietly(mirrorDir);
        }
    }

    /**
     * Starts a new mirror process when the current one has ended: a Ratis server exits its JVM on fatal errors (one
     * run lost every later scenario to a gRPC port that another process bound between the pick and the bind).
     *
     * @return whether the process had ended
     */
    private boolean replaceDeadChild() throws IOException {
        if (child == null || child.alive()) {
            return false;
        }
        say("  the mirror's process ended (exit code " + child.exitCode() + "); starting a new one");
        child.close();
        child = ChildMirror.launch(settings.childHeapBytes());
        if (pinned) {
            CpuPinning.pin(child.pid(), 1);
        }
        return true;
    }

    private Path mirrorBase() {
        return settings.mirrorDirectory() != null ? settings.mirrorDirectory() : settings.directory();
    }

    /** Pins or unpins this process (CPU 0) and the mirror's (CPU 1) for scenario {@code s}. */
    private void place(BenchScenario s) {
        boolean pin = pinnable && settings.pin().pins(s);
        if (pin == pinned) {
            return;
        }
        long self = ProcessHandle.current().pid();
        if (pin) {
            CpuPinning.pin(self, 0);
            if (child != null) {
                CpuPinning.pin(child.pid(), 1);
            }
        } else {
            CpuPinning.unpin(self);
            if (child != null) {
                CpuPinning.unpin(child.pid());
            }
        }
        pinned = pin;
        say(pin ? "  pinned: this process (primary site, client) on CPU 0, the mirror's on CPU 1"
                : "  not pinned: both processes on every CPU");
    }

    private static void deleteQuietly(Path dir) {
        try {
            dev.picsou.mirror.storage.Directories.deleteRecursively(dir);
        } catch (IOException e) {
            // leftovers of a finished scenario are harmless
        }
    }

    private BenchResult runOne(BenchScenario s, Path dir, Path mirrorDir) throws InterruptedException {
        try {
            return measure(s, dir, mirrorDir);
        } catch (IOException | RuntimeException e) {
            say("  failed: " + e);
            return BenchResult.notRun(s, "the scenario did not run: " + e);
        }
    }

    private BenchResult measure(BenchScenario s, Path dir, Path mirrorDir) throws IOException, InterruptedException {
        // The guard's first reading, before anything starts, is the pace-free check against the floor.
        long floor = DataHeadroom.floorBytes();
        DataHeadroom.Guard guard = new DataHeadroom.Guard(floor);
        DataHeadroom.Reading room = headroom.read();
        if (guard.observe(room) != null) {
            say("  not started: " + room.describe());
            return BenchResult.notRun(s, "not started: the data directories have too little room ("
                    + room.describe() + ", a scenario needs " + (floor >> 20) + " MiB at least)");
        }
        PicsouParams params = BenchParams.of(s);
        BenchLinks links = BenchLinks.allocate(s.senders(), s.receivers());
        MirrorHandle mirror = null;
        PrimarySite primary = null;
        try {
            if (s.mirrored()) {
                mirror = child != null ? child.open(s, links, mirrorDir)
                        : MirrorHandle.inProcess(new MirrorSite(s, links, mirrorDir).start());
            }
            primary = new PrimarySite(s, links, dir.resolve("primary")).start();
            MirrorHandle m = mirror;
            PrimarySite p = primary;
            List<String> problems = new ArrayList<>();
            if (s.mirrored() && !p.awaitLinksUp(s.receivers() - s.crashReceivers(), Duration.ofSeconds(30))) {
                problems.add("the primary's links to the mirror were not all up 30 s after the start");
            }
            long maxBacklog = s.mirrored() ? BenchParams.maxBacklogEntries(s, params) : Long.MAX_VALUE;
            BenchLoad load = new BenchLoad(p.site().client(), s.entryBytes(), s.inFlight(), s.rate(),
                    () -> p.committedSeq() - m.durableMax(), maxBacklog).start();
            Sample start = sample(p, m, load);
            String stopped = watch(s.warmup(), p, m, load, guard);
            // Stopped in the warmup, the scenario (failed either way) reports what ran of the warmup.
            Sample before = stopped == null ? sample(p, m, load) : start;
            if (stopped == null) {
                stopped = watch(s.duration(), p, m, load, guard);
            }
            Sample after = sample(p, m, load);
            if (stopped != null) {
                say("  " + stopped);
                problems.add(stopped);
            }
            if (!load.stop(60)) {
                problems.add("client writes still in flight 60 s after the load stopped");
            }
            return finish(s, p, m, load, before, after, problems);
        } finally {
            if (primary != null) {
                primary.close();
            }
            if (mirror != null) {
                mirror.close();
            }
        }
    }

    private BenchResult finish(BenchScenario s, PrimarySite p, MirrorHandle m, BenchLoad load, Sample before,
                               Sample after, List<String> problems) throws IOException, InterruptedException {
        Verification v = s.mirrored() ? verifyMirrored(s, p, m, problems) : verifyBare(p, problems);
        if (load.failed() > 0) {
            problems.add(load.failed() + " client writes failed");
        }
        double seconds = (after.nanos - before.nanos) / 1e9;
        double acksPerS = (after.acked - before.acked) / seconds;
        double entriesPerS = s.mirrored() ? (after.durable - before.durable) / seconds : acksPerS;
        Snapshot lag = s.mirrored() ? p.quackLatency(0) : null;
        Histogram writes = load.latencyMicros();
        long committed = s.mirrored() ? p.committedSeq() : after.acked;
        long payload = v.payloadBytes;
        double primaryCpu = 100.0 * (after.cpuNanos - before.cpuNanos) / (after.nanos - before.nanos);
        double mirrorCpu = 100.0 * (after.mirrorCpuNanos - before.mirrorCpuNanos) / (after.nanos - before.nanos);
        double machineCpu = (primaryCpu + mirrorCpu) / Math.max(1, pinned ? 2 : CpuPinning.CPUS);
        long wanBytes = s.mirrored() ? p.bytesSent() + m.bytesSent() : 0;
        double otherCpu = before.machineBusyNanos < 0 || after.machineBusyNanos < 0 ? -1
                : Math.max(0, 100.0 * (after.machineBusyNanos - before.machineBusyNanos
                        - (after.cpuNanos - before.cpuNanos) - (after.mirrorCpuNanos - before.mirrorCpuNanos))
                        / (after.nanos - before.nanos));
        return new BenchResult(s, entriesPerS, acksPerS,
                lag == null ? 0 : lag.getMedian() / 1e6, lag == null ? 0 : lag.get99thPercentile() / 1e6,
                writes.getValueAtPercentile(50) / 1e3, writes.getValueAtPercentile(99) / 1e3,
                committed == 0 || !s.mirrored() ? 0 : (double) p.entriesSent() / committed,
                payload == 0 ? 0 : (double) wanBytes / payload, s.mirrored() ? p.resends() : 0,
                machineCpu, primaryCpu, mirrorCpu, otherCpu,
                100.0 * (after.gatedNanos - before.gatedNanos) / (after.nanos - before.nanos),
                perSecond(before.faults, after.faults, seconds), perSecond(before.mirrorFaults, after.mirrorFaults,
                        seconds),
                committed, v.delivered, v.deliveryOk, v.digestsMatch, problems,
                ThreadCpu.percentByGroup(before.threads, after.threads, after.nanos - before.nanos), before.at);
    }

    /** The rate of a counter between two readings; -1 when either is unknown. */
    private static double perSecond(long before, long after, double seconds) {
        return before < 0 || after < 0 ? -1 : (after - before) / seconds;
    }

    private record Verification(long delivered, long payloadBytes, boolean deliveryOk, boolean digestsMatch) {
    }

    private Verification verifyMirrored(BenchScenario s, PrimarySite p, MirrorHandle m, List<String> problems)
            throws IOException, InterruptedException {
        boolean quacks = !s.protocol().equals("ost");
        boolean drained = EmbeddedDeployment.await(DRAIN_TIMEOUT, () -> {
            long seq = p.committedSeq();
            return p.committedSeqMin() >= seq && m.durableMin() >= seq && (!quacks || p.quackedSeq() >= seq);
        });
        long seq = p.committedSeq();
        if (progress != null && Boolean.getBoolean("picsou.bench.engineStates")) {
            progress.println("engine states after the drain: " + p.describeEngines());
        }
        if (!drained) {
            problems.add("not drained within " + DRAIN_TIMEOUT.toSeconds() + " s: committed " + seq
                    + ", mirror durable " + m.durableMin() + ", QUACKed " + p.quackedSeq() + " (primary replicas "
                    + p.describeLinks() + ")");
        }
        boolean leaderBased = s.protocol().equals("ll") || s.protocol().equals("otu");
        if (leaderBased && (p.leader() != 0 || m.leader() != 0)) {
            problems.add("a leader moved during the run (primary " + p.leader() + ", mirror " + m.leader()
                    + "): the leader-based baselines assume replica 0");
        }
        Map<Integer, StreamDigest.Snapshot> streams = p.streamDigests();
        StreamDigest.Snapshot reference = streams.values().iterator().next();
        boolean deliveryOk = drained;
        for (Map.Entry<Integer, StreamDigest.Snapshot> e : streams.entrySet()) {
            if (!e.getValue().sameAs(reference)) {
                deliveryOk = false;
                problems.add("primary replica " + e.getKey() + " numbered a different stream: " + e.getValue()
                        + " vs " + reference);
            }
        }
        List<MirrorSite.ReplicaCheck> checks = m.verify();
        Map<Integer, StateDigest> kv = p.kvDigests();
        StateDigest kvReference = kv.values().iterator().next();
        boolean digestsMatch = kv.values().stream().allMatch(d -> d.sameStateAs(kvReference));
        long delivered = Long.MAX_VALUE;
        for (MirrorSite.ReplicaCheck c : checks) {
            delivered = Math.min(delivered, c.durable());
            if (!c.stream().sameAs(reference)) {
                deliveryOk = false;
                problems.add("mirror replica " + c.replica() + " entry log " + c.stream() + " differs from the"
                        + " primary's stream " + reference);
            }
            if (!c.kvSha256().equals(kvReference.hex()) || c.kvPairs() != kvReference.pairCount()) {
                digestsMatch = false;
                problems.add("mirror replica " + c.replica() + " KV state " + c.kvSha256() + " (" + c.kvPairs()
                        + " keys) differs from the primary's " + kvReference.hex());
            }
        }
        return new Verification(checks.isEmpty() ? 0 : delivered, reference.payloadBytes(), deliveryOk,
                digestsMatch);
    }

    private Verification verifyBare(PrimarySite p, List<String> problems) throws InterruptedException {
        boolean applied = EmbeddedDeployment.await(Duration.ofSeconds(60), () -> {
            try {
                long[] range = p.appliedIndexRange();
                return range[0] == range[1];
            } catch (IOException e) {
                return false;
            }
        });
        Map<Integer, StateDigest> kv = p.kvDigests();
        StateDigest reference = kv.values().iterator().next();
        boolean same = kv.values().stream().allMatch(d -> d.sameStateAs(reference));
        if (!applied || !same) {
            problems.add("the primary replicas did not converge to one state");
        }
        return new Verification(0, 0, applied && same, same);
    }

    /**
     * Sleeps through {@code span}, printing a progress line every second; returns early, with the reason, when the
     * data directories run out of room ({@link DataHeadroom}), else null.
     */
    private String watch(Duration span, PrimarySite p, MirrorHandle m, BenchLoad load, DataHeadroom.Guard guard)
            throws InterruptedException {
        long end = System.nanoTime() + span.toNanos();
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            Thread.sleep(Math.min(1000, Math.max(1, left / 1_000_000)));
            String stop = guard.observe(headroom.read());
            if (stop != null) {
                return stop;
            }
            if (progress != null) {
                progress.printf(Locale.ROOT, "  acked %,d | committed %,d | mirrored %,d | QUACKed %,d%n",
                        load.acked(), p.committedSeq(), m == null ? 0 : m.durableMax(), p.quackedSeq());
            }
        }
    }

    private record Sample(long nanos, long acked, long durable, long cpuNanos, long mirrorCpuNanos,
                          long gatedNanos, long machineBusyNanos, ThreadCpu.Snapshot threads, long faults,
                          long mirrorFaults, Instant at) {
    }

    private Sample sample(PrimarySite p, MirrorHandle m, BenchLoad load) {
        var os = ManagementFactory.getOperatingSystemMXBean();
        long cpu = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
        return new Sample(System.nanoTime(), load.acked(), m == null ? 0 : m.durableMax(), cpu,
                child == null ? 0 : child.cpuNanos(), load.gatedNanos(), MachineLoad.busyNanos(),
                ThreadCpu.take(), PageFaults.minor(ProcessHandle.current().pid()),
                child == null ? -1 : PageFaults.minor(child.pid()), Instant.now());
    }

    private void say(String line) {
        if (progress != null) {
            progress.println(line);
            progress.flush();
        }
    }
}
