package dev.picsou.mirror.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.picsou.mirror.config.Units;
import dev.picsou.mirror.server.bench.BenchDirectories;
import dev.picsou.mirror.server.bench.BenchPresets;
import dev.picsou.mirror.server.bench.BenchReport;
import dev.picsou.mirror.server.bench.BenchResult;
import dev.picsou.mirror.server.bench.BenchRunner;
import dev.picsou.mirror.server.bench.BenchScenario;
import dev.picsou.mirror.server.bench.CommonPool;
import dev.picsou.mirror.server.bench.FixedHeap;
import dev.picsou.mirror.server.bench.JitMode;
import dev.picsou.mirror.server.bench.NativeHeap;
import dev.picsou.mirror.storage.Directories;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code picsou bench}: real sites, real channel, an emulated WAN; Picsou side by side with the baselines. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure the stream on real Ratis sites, RocksDB and the Netty channel over an emulated WAN "
                + "(per-replica uplink cap and one-way delay in the transport). Scenarios run back to back in this "
                + "process: every protocol x site size x entry size given. The mirror site runs in a child JVM; "
                + "with taskset and two CPUs this process (primary site and client) is pinned to CPU 0 and the "
                + "mirror to CPU 1. Each scenario ends with a drain and a delivery check (every entry on every "
                + "mirror replica, stream and state digests equal).",
                "Exit: 0 every scenario delivered and matched, 1 one did not, 2 bad options."})
public final class BenchCommand implements Callable<Integer> {
    private static final Path TEMP = Path.of(System.getProperty("java.io.tmpdir"));
    private static final String TEMP_PREFIX = "picsou-bench-";
    private static final Path SHM = Path.of("/dev/shm");
    private static final String SHM_PREFIX = "picsou-bench-mirror-";

    static {
        // Before anything uses CompletableFuture: see CommonPool (a thread per Ratis append otherwise).
        CommonPool.ensure();
    }

    /** Set on a bench started again by {@link #relaunch}: it must not start itself a third time. */
    private static final String RELAUNCHED = "picsou.bench.relaunched";

    @Spec
    private CommandSpec spec;

    @Option(names = "--preset", paramLabel = "NAME",
            description = "A named scenario list instead of the flags below: paper (the three figures of "
                    + "docs/performance.md), smoke (a few seconds, for tests). --duration and --warmup still apply.")
    private String preset;

    @Option(names = "--protocols", paramLabel = "LIST", split = ",", defaultValue = "picsou",
            description = "picsou, ata, ll, otu, ost, none (the primary site alone) (default: ${DEFAULT-VALUE}).")
    private List<String> protocols;

    @Option(names = "--senders", paramLabel = "N", split = ",", defaultValue = "5",
            description = "Primary site size(s) (default: ${DEFAULT-VALUE}).")
    private List<Integer> senders;

    @Option(names = "--receivers", paramLabel = "M",
            description = "Mirror site size (default: the same as --senders).")
    private Integer receivers;

    @Option(names = "--entry-bytes", paramLabel = "B", split = ",", defaultValue = "10240",
            description = "Entry size(s), 100 to 1048576 (default: ${DEFAULT-VALUE}).")
    private List<Integer> entryBytes;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Measured seconds per scenario (default: 20).")
    private Integer durationSeconds;

    @Option(names = "--warmup", paramLabel = "SECONDS",
            description = "Seconds of load before measuring (default: 5).")
    private Integer warmupSeconds;

    @Option(names = "--jit-warmup", paramLabel = "SECONDS",
            description = "First run an unreported Picsou scenario this long so that the JIT compilers of both "
                    + "processes are done before anything is measured (default: 0; the paper preset: 30).")
    private Integer jitWarmupSeconds;

    @Option(names = "--jit", paramLabel = "c1|c2", defaultValue = "c1",
            description = "JIT compilers of the bench's JVMs: c1 (C1 only; default, see docs/performance.md: C2's "
                    + "recompilations take a CPU's worth of time for minutes on a small machine) or c2 (the JVM's "
                    + "default). When this JVM runs the other mode, the bench starts itself again in the one asked.")
    private String jit;

    @Option(names = "--uplink-mbps", paramLabel = "MBIT", defaultValue = "0",
            description = "Per-replica uplink cap between the sites, Mbit/s; 0 for none (default: ${DEFAULT-VALUE}).")
    private double uplinkMbps;

    @Option(names = "--one-way-delay-ms", paramLabel = "MS", defaultValue = "0",
            description = "Added one-way delay between the sites (default: ${DEFAULT-VALUE}).")
    private double oneWayDelayMs;

    @Option(names = "--crash-senders", paramLabel = "K", defaultValue = "0",
            description = "Primary replicas crashed before the load (default: ${DEFAULT-VALUE}).")
    private int crashSenders;

    @Option(names = "--crash-receivers", paramLabel = "K", defaultValue = "0",
            description = "Mirror replicas crashed before the load (default: ${DEFAULT-VALUE}).")
    private int crashReceivers;

    @Option(names = "--rate", paramLabel = "ENTRIES_PER_S", defaultValue = "0",
            description = "Offered client writes per second; 0 saturates (default: ${DEFAULT-VALUE}).")
    private double rate;

    @Option(names = "--in-flight", paramLabel = "N", defaultValue = "100",
            description = "Client writes outstanding at most (default: ${DEFAULT-VALUE}).")
    private int inFlight;

    @Option(names = "--same-jvm", description = "Run the mirror site in this JVM instead of a child process.")
    private boolean sameJvm;

    @Option(names = "--pin", paramLabel = "WHEN", defaultValue = "uncapped",
            description = "When to pin this process (primary site and client) to CPU 0 and the mirror's to CPU 1: "
                    + "always, never, or uncapped (scenarios without --uplink-mbps, where the primary's own "
                    + "throughput is measured; default). Needs taskset and two CPUs.")
    private String pin;

    @Option(names = "--no-pin", description = "Same as --pin never.")
    private boolean noPin;

    @Option(names = "--heap", paramLabel = "SIZE", defaultValue = "auto",
            description = "Heap of each bench JVM (the primary site's and the mirror's), fixed and touched at start: "
                    + "auto (2GiB when no entry is larger than 64 KiB, else a quarter of the memory) or a size such "
                    + "as 3GiB. A smaller heap leaves more of a VM's fast memory to the sites' data "
                    + "(docs/performance.md). -Xms in PICSOU_JAVA_OPTS wins for the primary's.")
    private String heap;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Data directory (must not exist yet; default: a fresh temporary directory, removed).")
    private Path dir;

    @Option(names = "--mirror-dir", paramLabel = "DIR",
            description = "Where the mirror site keeps its data (must not exist yet; default: under --dir, on the "
                    + "primary's file system; 'same' says so). A tmpfs such as /dev/shm/NAME keeps it in memory, "
                    + "which on some VMs makes the primary's writes dearer (docs/performance.md).")
    private String mirrorDir;

    @Option(names = "--json", description = "Print one JSON object {\"scenarios\": [...]} on stdout.")
    private boolean json;

    @Option(names = "--markdown", paramLabel = "FILE",
            description = "Also write the results as a Markdown table (the one docs/performance.md shows).")
    private Path markdown;

    @Option(names = "--plot", paramLabel = "FILE", description = "Write an SVG bar chart of entries/s per scenario.")
    private Path plot;

    @Option(names = "--quiet", description = "No progress lines on stderr.")
    private boolean quiet;

    @Override
    public Integer call() throws Exception {
        if (!CommonPool.ensure() && !quiet) {
            System.err.println("bench: the common fork-join pool has parallelism "
                    + java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() + "; run java with "
                    + "-Djava.util.concurrent.ForkJoinPool.common.parallelism=4 (Ratis starts a thread per append)");
        }
        List<BenchScenario> scenarios = scenarios();
        long heapBytes = heapBytes(scenarios);
        BenchRunner.Pinning pinning = pinning();
        if (dir != null && Files.exists(dir)) {
            throw new ParameterException(spec.commandLine(), "--dir " + dir + " already exists; give a new path");
        }
        jitWarmup();
        JitMode wanted = jitMode();
        if (wanted != JitMode.current()) {
            if (!Boolean.getBoolean(RELAUNCHED)) {
                return relaunch(wanted, heapBytes);
            }
            System.err.println("bench: asked for --jit " + wanted + " but this JVM runs " + JitMode.current());
        }
        List<String> heapOptions = missingHeapOptions(heapBytes);
        if (!heapOptions.isEmpty() && !quiet) {
            System.err.println("bench: this JVM runs without " + String.join(" ", heapOptions) + " (the bench adds"
                    + " them only when it starts itself again for --jit): collections that first use heap pages"
                    + " can pause a site past the reorder grace (docs/performance.md, Findings)");
        }
        if (NativeHeap.missingHere() && !quiet) {
            System.err.println("bench: this JVM runs with glibc's malloc defaults (the bench sets GLIBC_TUNABLES only"
                    + " when it starts itself again for --jit): RocksDB's memtables then write into pages the kernel"
                    + " must find afresh (docs/performance.md, Findings)");
        }
        removeAbandonedRuns();
        boolean temporary = dir == null;
        Path base = temporary ? BenchDirectories.create(TEMP, TEMP_PREFIX) : Files.createDirectories(dir);
        Path mirrorBase = mirrorBase();
        // An interrupted run must not leave gigabytes in the temporary directory or in --mirror-dir.
        Thread cleanup = new Thread(() -> {
            if (mirrorBase != null && !mirrorBase.startsWith(base)) {
                deleteQuietly(mirrorBase);
            }
            if (temporary) {
                deleteQuietly(base);
            }
        }, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            List<BenchResult> results;
            try {
                results = new BenchRunner(new BenchRunner.Settings(base, !sameJvm, pinning, mirrorBase,
                        jitWarmup(), heapBytes),
                        quiet ? null : System.err).run(scenarios);
            } finally {
                if (mirrorBase != null && !mirrorBase.startsWith(base)) {
                    deleteQuietly(mirrorBase);
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(BenchReport.json(results)));
            } else {
                BenchReport.table(out, results);
            }
            if (markdown != null) {
                try (PrintWriter md = new PrintWriter(Files.newBufferedWriter(markdown))) {
                    BenchReport.markdown(md, results);
                }
            }
            out.flush();
            if (plot != null) {
                BenchReport.plot(plot, results);
            }
            return results.stream().allMatch(BenchResult::ok) ? PicsouCli.EXIT_OK : PicsouCli.EXIT_FAILED;
        } finally {
            if (temporary) {
                deleteQuietly(base);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // shutting down already: the hook runs
            }
        }
    }

    private JitMode jitMode() {
        try {
            return JitMode.parse(jit);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Runs this command again in a JVM of JIT mode {@code mode}, passing stdio through; returns its exit code. */
    private int relaunch(JitMode mode, long heapBytes) throws IOException, InterruptedException {
        List<String> args = spec.root().commandLine().getParseResult().originalArgs();
        List<String> cmd = new ArrayList<>(mode.relaunchCommand(PicsouCli.class.getName(), args));
        cmd.add(1, "-D" + RELAUNCHED + "=true");
        cmd.addAll(2, missingHeapOptions(heapBytes));
        ProcessBuilder builder = new ProcessBuilder(cmd).inheritIO();
        NativeHeap.applyTo(builder.environment());
        Process child = builder.start();
        Thread stopChild = new Thread(child::destroy, "bench-relaunch-stop");
        Runtime.getRuntime().addShutdownHook(stopChild);
        int code = child.waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(stopChild);
        } catch (IllegalStateException e) {
            // shutting down already
        }
        return code;
    }

    /** The heap options ({@link FixedHeap}) for {@code heapBytes} this JVM was not started with. */
    private static List<String> missingHeapOptions(long heapBytes) {
        return FixedHeap.options(ManagementFactory.getRuntimeMXBean().getInputArguments(), heapBytes);
    }

    /** {@code --heap} in bytes: {@link FixedHeap#autoBytes} for {@code auto}. */
    private long heapBytes(List<BenchScenario> scenarios) {
        long physical = FixedHeap.physicalBytes();
        if ("auto".equals(heap)) {
            return FixedHeap.autoBytes(scenarios, physical);
        }
        long bytes;
        try {
            bytes = Units.parseBytes(heap);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--heap must be auto or a size: " + e.getMessage());
        }
        if (bytes < FixedHeap.MIN_BYTES || bytes > physical) {
            throw new ParameterException(spec.commandLine(), "--heap " + heap + " must be at least "
                    + Units.formatBytes(FixedHeap.MIN_BYTES) + " and at most the machine's memory ("
                    + Units.formatBytes(physical) + ")");
        }
        return bytes;
    }

    private Duration jitWarmup() {
        if (jitWarmupSeconds != null) {
            return Duration.ofSeconds(checkSeconds("--jit-warmup", jitWarmupSeconds, 0));
        }
        return "paper".equals(preset) ? Duration.ofSeconds(30) : Duration.ZERO;
    }

    private BenchRunner.Pinning pinning() {
        if (noPin) {
            return BenchRunner.Pinning.NEVER;
        }
        return switch (pin) {
            case "always" -> BenchRunner.Pinning.ALWAYS;
            case "never" -> BenchRunner.Pinning.NEVER;
            case "uncapped" -> BenchRunner.Pinning.UNCAPPED;
            default -> throw new ParameterException(spec.commandLine(), "--pin must be always, never or uncapped, was "
                    + pin);
        };
    }

    /** The mirror's data directory (a fresh one), or null for the primary's. */
    private Path mirrorBase() throws IOException {
        if (mirrorDir == null || "same".equals(mirrorDir)) {
            return null;
        }
        Path p = Path.of(mirrorDir);
        if (Files.exists(p)) {
            throw new ParameterException(spec.commandLine(), "--mirror-dir " + p + " already exists; give a new"
                    + " path");
        }
        return Files.createDirectories(p);
    }

    /** Deletes what runs killed outright (kill -9, the out-of-memory killer) left in the default directories. */
    private void removeAbandonedRuns() {
        List<BenchDirectories.Removed> removed = new ArrayList<>(BenchDirectories.removeAbandoned(TEMP, TEMP_PREFIX));
        // Before 2026-12-06 the mirror's data went to /dev/shm by default: such a run, killed, left memory behind.
        removed.addAll(BenchDirectories.removeAbandoned(SHM, SHM_PREFIX));
        for (BenchDirectories.Removed r : removed) {
            System.err.printf(java.util.Locale.ROOT, "bench: deleted %s (%,d MiB), left by a run that was killed%n",
                    r.directory(), r.bytes() >> 20);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            Directories.deleteRecursively(dir);
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }

    private List<BenchScenario> scenarios() {
        Duration duration = Duration.ofSeconds(durationSeconds == null ? 20 : checkSeconds("--duration",
                durationSeconds, 1));
        Duration warmup = Duration.ofSeconds(warmupSeconds == null ? 5 : checkSeconds("--warmup", warmupSeconds, 0));
        try {
            if (preset != null) {
                return BenchPresets.byName(preset, durationSeconds == null ? null : duration,
                        warmupSeconds == null ? null : warmup);
            }
            List<BenchScenario> list = new ArrayList<>();
            for (int n : senders) {
                for (int bytes : entryBytes) {
                    for (String p : protocols) {
                        list.add(new BenchScenario(p.trim().toLowerCase(java.util.Locale.ROOT), n,
                                receivers == null ? n : receivers, bytes, warmup, duration, uplinkMbps,
                                oneWayDelayMs, crashSenders, crashReceivers, rate, inFlight));
                    }
                }
            }
            return list;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private int checkSeconds(String name, int value, int min) {
        if (value < min || value > 3600) {
            throw new ParameterException(spec.commandLine(), name + " must be in [" + min + ", 3600] seconds, was "
                    + value);
        }
        return value;
    }
}
