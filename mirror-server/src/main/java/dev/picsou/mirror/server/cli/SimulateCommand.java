package dev.picsou.mirror.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.picsou.mirror.bridge.picsou.PicsouParams;
import dev.picsou.mirror.bridge.sim.ByzantineMode;
import dev.picsou.mirror.bridge.sim.CrashRestart;
import dev.picsou.mirror.bridge.sim.InvalidSimConfigException;
import dev.picsou.mirror.bridge.sim.Partition;
import dev.picsou.mirror.bridge.sim.SimConfig;
import dev.picsou.mirror.bridge.sim.SimResult;
import dev.picsou.mirror.bridge.sim.Simulation;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code picsou simulate}: runs one deterministic simulation of a link ({@link Simulation}) and prints what it
 * measured, as a readable summary or (with {@code --json}) as exactly one JSON object on stdout. Exit code 0 when
 * every entry was applied with no violation, 1 otherwise, 2 for bad options.
 */
@Command(name = "simulate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Simulate a Picsou link (or a baseline) between two sites, deterministically, and report "
                + "throughput, latency, WAN cost and any invariant violation."})
public final class SimulateCommand implements Callable<Integer> {

    /** SimConfig field names to the options that set them, for error messages. */
    private static final Map<String, String> OPTION_OF_FIELD = Map.ofEntries(
            Map.entry("protocol", "--protocol"), Map.entry("senders", "--senders"),
            Map.entry("receivers", "--receivers"), Map.entry("senderU", "--sender-u"),
            Map.entry("senderR", "--sender-r"), Map.entry("receiverU", "--receiver-u"),
            Map.entry("receiverR", "--receiver-r"), Map.entry("senderStakes", "--stakes-senders"),
            Map.entry("receiverStakes", "--stakes-receivers"), Map.entry("entries", "--entries"),
            Map.entry("entryBytes", "--entry-bytes"), Map.entry("uplinkMbps", "--uplink-mbps"),
            Map.entry("oneWayDelayMs", "--one-way-delay-ms"), Map.entry("jitterMs", "--jitter-ms"),
            Map.entry("loss", "--loss"), Map.entry("duplicate", "--duplicate"),
            Map.entry("partitions", "--partition"), Map.entry("crashSenders", "--crash-senders"),
            Map.entry("crashReceivers", "--crash-receivers"), Map.entry("restarts", "--restart"),
            Map.entry("byzantineReceivers", "--byzantine-receivers"),
            Map.entry("byzantineMode", "--byzantine-mode"), Map.entry("rateEntriesPerS", "--rate"),
            Map.entry("siteCommitDelayMs", "--site-commit-delay-ms"), Map.entry("senderSkewMs", "--sender-skew-ms"),
            Map.entry("seed", "--seed"), Map.entry("params", "the derived tuning"));

    @Spec
    private CommandSpec spec;

    @Option(names = "--protocol", paramLabel = "NAME", defaultValue = "picsou",
            description = "picsou, ata, ll, otu or ost (default: ${DEFAULT-VALUE}).")
    private String protocol;

    @Option(names = "--senders", paramLabel = "N", defaultValue = "4",
            description = "Replicas of the sending site (default: ${DEFAULT-VALUE}).")
    private int senders;

    @Option(names = "--receivers", paramLabel = "M", defaultValue = "4",
            description = "Replicas of the receiving site (default: ${DEFAULT-VALUE}).")
    private int receivers;

    @Option(names = "--sender-u", paramLabel = "U", description = "Faults the sending site tolerates (default: CFT, (N-1)/2).")
    private Integer senderU;

    @Option(names = "--sender-r", paramLabel = "R", description = "Byzantine faults among them (default: 0).")
    private Integer senderR;

    @Option(names = "--receiver-u", paramLabel = "U",
            description = "Faults the receiving site tolerates (default: CFT, (M-1)/2).")
    private Integer receiverU;

    @Option(names = "--receiver-r", paramLabel = "R", description = "Byzantine faults among them (default: 0).")
    private Integer receiverR;

    @Option(names = "--stakes-senders", paramLabel = "S1,S2,...", split = ",",
            description = "Stake per sending replica (default: equal).")
    private List<Integer> senderStakes = new ArrayList<>();

    @Option(names = "--stakes-receivers", paramLabel = "S1,S2,...", split = ",",
            description = "Stake per receiving replica (default: equal).")
    private List<Integer> receiverStakes = new ArrayList<>();

    @Option(names = "--entries", paramLabel = "K", defaultValue = "20000",
            description = "Entries the sending site commits (default: ${DEFAULT-VALUE}).")
    private int entries;

    @Option(names = "--entry-bytes", paramLabel = "B", defaultValue = "1024",
            description = "Payload bytes per entry (default: ${DEFAULT-VALUE}).")
    private int entryBytes;

    @Option(names = "--uplink-mbps", paramLabel = "MBIT", defaultValue = "1000",
            description = "Uplink and downlink of every replica, Mbit/s (default: ${DEFAULT-VALUE}).")
    private double uplinkMbps;

    @Option(names = "--one-way-delay-ms", paramLabel = "MS", defaultValue = "20",
            description = "One-way delay between the sites (default: ${DEFAULT-VALUE}).")
    private double oneWayDelayMs;

    @Option(names = "--jitter-ms", paramLabel = "MS", defaultValue = "0",
            description = "Extra delay per frame, uniform in [0, MS]; reorders frames (default: ${DEFAULT-VALUE}).")
    private double jitterMs;

    @Option(names = "--loss", paramLabel = "P", defaultValue = "0",
            description = "Probability that a frame is lost, in [0, 1) (default: ${DEFAULT-VALUE}).")
    private double loss;

    @Option(names = "--duplicate", paramLabel = "P", defaultValue = "0",
            description = "Probability that a frame is delivered twice, in [0, 1) (default: ${DEFAULT-VALUE}).")
    private double duplicate;

    @Option(names = "--partition", paramLabel = "START_MS:END_MS", converter = PartitionConverter.class,
            description = "The sites cannot talk in [START_MS, END_MS) of simulated time (repeatable).")
    private List<Partition> partitions = new ArrayList<>();

    @Option(names = "--crash-senders", paramLabel = "K", defaultValue = "0",
            description = "Senders down for the whole run, the highest indices (default: ${DEFAULT-VALUE}).")
    private int crashSenders;

    @Option(names = "--crash-receivers", paramLabel = "K", defaultValue = "0",
            description = "Receivers down for the whole run, the highest indices (default: ${DEFAULT-VALUE}).")
    private int crashReceivers;

    @Option(names = "--restart", paramLabel = "SIDE:INDEX:CRASH_MS:RESTART_MS", converter = RestartConverter.class,
            description = "Replica INDEX of SIDE (sender|receiver) crashes at CRASH_MS and restarts at RESTART_MS "
                    + "(repeatable).")
    private List<CrashRestart> restarts = new ArrayList<>();

    @Option(names = "--byzantine-receivers", paramLabel = "K", defaultValue = "0",
            description = "Byzantine receivers, just below the crashed ones; needs --receiver-r >= K "
                    + "(default: ${DEFAULT-VALUE}).")
    private int byzantineReceivers;

    @Option(names = "--byzantine-mode", paramLabel = "MODE", defaultValue = "drop-all",
            converter = ByzantineModeConverter.class,
            description = "drop-all, drop-selective, ack-high, ack-low or ack-stale (default: ${DEFAULT-VALUE}).")
    private ByzantineMode byzantineMode;

    @Option(names = "--rate", paramLabel = "ENTRIES_PER_S", defaultValue = "0",
            description = "Offered load; 0 = saturate (commit whenever the window allows) (default: ${DEFAULT-VALUE}).")
    private double rate;

    @Option(names = "--site-commit-delay-ms", paramLabel = "MS", defaultValue = "2",
            description = "Time the receiving site takes to commit a delivered entry (default: ${DEFAULT-VALUE}).")
    private double siteCommitDelayMs;

    @Option(names = "--sender-skew-ms", paramLabel = "MS", defaultValue = "0",
            description = "Each sender applies committed entries up to MS later, seeded per replica "
                    + "(default: ${DEFAULT-VALUE}).")
    private double senderSkewMs;

    @Option(names = "--reorder-grace-ms", paramLabel = "MS",
            description = "Floor of the reorder grace, instead of the derived one (3 ms plus the jitter).")
    private Double reorderGraceMs;

    @Option(names = "--ack-interval-ms", paramLabel = "MS",
            description = "Receivers' ack interval, instead of the default 2 ms.")
    private Double ackIntervalMs;

    @Option(names = "--min-rto-ms", paramLabel = "MS",
            description = "Floor of the retransmission timeout when above the derived one; the initial timeout is "
                    + "then at least twice it (as the benchmark's tuning does).")
    private Double minRtoMs;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of every random choice; same seed, same result (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--json", description = "Print exactly one JSON object on stdout instead of the summary.")
    private boolean json;

    @Override
    public Integer call() {
        SimConfig config = buildConfig();
        long startNanos = System.nanoTime();
        SimResult result;
        try {
            Simulation.resolve(config.protocol());
            result = Simulation.run(config);
        } catch (InvalidSimConfigException e) {
            throw badOption(e);
        }
        long wallMs = (System.nanoTime() - startNanos) / 1_000_000;
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(result, config, wallMs));
        } else {
            out.print(summary(result, config, wallMs));
        }
        out.flush();
        return result.ok() ? PicsouCli.EXIT_OK : PicsouCli.EXIT_FAILED;
    }

    private SimConfig buildConfig() {
        SimConfig.Builder b = SimConfig.builder()
                .protocol(protocol)
                .senders(senders)
                .receivers(receivers)
                .senderStakes(senderStakes)
                .receiverStakes(receiverStakes)
                .entries(entries)
                .entryBytes(entryBytes)
                .uplinkMbps(uplinkMbps)
                .oneWayDelayMs(oneWayDelayMs)
                .jitterMs(jitterMs)
                .loss(loss)
                .duplicate(duplicate)
                .partitions(partitions)
                .crashSenders(crashSenders)
                .crashReceivers(crashReceivers)
                .restarts(restarts)
                .byzantineReceivers(byzantineReceivers)
                .byzantineMode(byzantineMode)
                .rateEntriesPerS(rate)
                .siteCommitDelayMs(siteCommitDelayMs)
                .senderSkewMs(senderSkewMs)
                .seed(seed);
        if (senderU != null) {
            b.senderU(senderU);
        }
        if (senderR != null) {
            b.senderR(senderR);
        }
        if (receiverU != null) {
            b.receiverU(receiverU);
        }
        if (receiverR != null) {
            b.receiverR(receiverR);
        }
        try {
            SimConfig config = b.build();
            if (reorderGraceMs != null || ackIntervalMs != null || minRtoMs != null) {
                config = b.params(tuned(config.derivedParams())).build();
            }
            config.params();
            return config;
        } catch (InvalidSimConfigException e) {
            throw badOption(e);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /** The derived tuning with the tuning options applied (each option replaces or raises one derived value). */
    private PicsouParams tuned(PicsouParams derived) {
        PicsouParams.Builder t = derived.toBuilder();
        if (reorderGraceMs != null) {
            t.reorderGraceNanos(nanos(reorderGraceMs, "--reorder-grace-ms"));
        }
        if (ackIntervalMs != null) {
            t.ackIntervalNanos(nanos(ackIntervalMs, "--ack-interval-ms"));
        }
        if (minRtoMs != null) {
            long min = Math.max(nanos(minRtoMs, "--min-rto-ms"), derived.minRetransmitTimeoutNanos());
            long initial = Math.max(2 * min, derived.initialRetransmitTimeoutNanos());
            t.minRetransmitTimeoutNanos(min)
                    .initialRetransmitTimeoutNanos(initial)
                    .maxRetransmitTimeoutNanos(Math.max(initial, derived.maxRetransmitTimeoutNanos()));
        }
        return t.build();
    }

    private long nanos(double ms, String option) {
        if (!(ms >= 0) || !Double.isFinite(ms)) {
            throw new ParameterException(spec.commandLine(), option + " must be >= 0, was " + ms);
        }
        return Math.round(ms * 1e6);
    }

    private ParameterException badOption(InvalidSimConfigException e) {
        String option = OPTION_OF_FIELD.getOrDefault(e.field(), e.field());
        return new ParameterException(spec.commandLine(), option + " " + e.problem(), e);
    }

    static String summary(SimResult r, SimConfig c, long wallMs) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "picsou simulate: %s, %d senders -> %d receivers "
                        + "(u_s=%d r_s=%d, u_r=%d r_r=%d), %d entries x %d B, %s Mbit/s, %s ms one way, seed %d%n",
                c.protocol(), c.senders(), c.receivers(), c.senderU(), c.senderR(), c.receiverU(), c.receiverR(),
                c.entries(), c.entryBytes(), plain(c.uplinkMbps()), plain(c.oneWayDelayMs()), c.seed()));
        sb.append("  faults          ").append(faults(c)).append(System.lineSeparator());
        sb.append(String.format(Locale.ROOT, "  delivered       %d/%d%s%n", r.delivered(), r.entries(),
                r.delivered() == c.entries() ? "" : "  (INCOMPLETE)"));
        sb.append(String.format(Locale.ROOT, "  violations      %d%n", r.violationCount()));
        sb.append(String.format(Locale.ROOT, "  copies/entry    %.3f  (WAN bytes per payload byte %.3f)%n",
                r.wanCopiesPerEntry(), r.wanBytesPerPayloadByte()));
        sb.append(String.format(Locale.ROOT, "  throughput      %.0f entries/s, %.2f MB/s%n",
                r.throughputEntriesPerS(), r.throughputMBps()));
        sb.append(String.format(Locale.ROOT, "  latency         p50 %.2f ms, p99 %.2f ms (commit to durable on the"
                + " mirror)%n", r.latencyP50Ms(), r.latencyP99Ms()));
        sb.append(String.format(Locale.ROOT, "  resends         %d, max attempts %d%n", r.resends(), r.maxAttempts()));
        sb.append(String.format(Locale.ROOT, "  simulated       %.3f s (%d events), wall time %d ms%n",
                r.simulatedSeconds(), r.events(), wallMs));
        for (String v : r.violations()) {
            sb.append("  VIOLATION: ").append(v).append(System.lineSeparator());
        }
        return sb.toString();
    }

    private static String faults(SimConfig c) {
        List<String> parts = new ArrayList<>();
        if (c.loss() > 0) {
            parts.add("loss " + plain(c.loss()));
        }
        if (c.duplicate() > 0) {
            parts.add("duplicate " + plain(c.duplicate()));
        }
        if (c.jitterMs() > 0) {
            parts.add("jitter " + plain(c.jitterMs()) + " ms");
        }
        if (!c.partitions().isEmpty()) {
            parts.add("partitions " + c.partitions());
        }
        if (c.crashSenders() > 0 || c.crashReceivers() > 0) {
            parts.add("crashed " + c.crashSenders() + " senders, " + c.crashReceivers() + " receivers");
        }
        if (!c.restarts().isEmpty()) {
            parts.add("restarts " + c.restarts());
        }
        if (c.byzantineReceivers() > 0) {
            parts.add(c.byzantineReceivers() + " Byzantine receivers (" + c.byzantineMode().cliName() + ")");
        }
        return parts.isEmpty() ? "none" : String.join("; ", parts);
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    static String toJson(SimResult r, SimConfig c, long wallMs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", r.protocol());
        m.put("senders", r.senders());
        m.put("receivers", r.receivers());
        m.put("entries", r.entries());
        m.put("delivered", r.delivered());
        m.put("ok", r.ok());
        m.put("violations", r.violationCount());
        m.put("violation_messages", r.violations());
        m.put("duplicates_applied", r.duplicatesApplied());
        m.put("wan_copies_per_entry", r.wanCopiesPerEntry());
        m.put("wan_bytes_per_payload_byte", r.wanBytesPerPayloadByte());
        m.put("resends", r.resends());
        m.put("max_attempts", r.maxAttempts());
        m.put("throughput_entries_per_s", r.throughputEntriesPerS());
        m.put("throughput_mb_per_s", r.throughputMBps());
        m.put("latency_p50_ms", r.latencyP50Ms());
        m.put("latency_p99_ms", r.latencyP99Ms());
        m.put("latency_max_ms", r.latencyMaxMs());
        m.put("frames_sent", r.framesSent());
        m.put("frames_dropped", r.framesDropped());
        m.put("refused_frames", r.refusedFrames());
        m.put("simulated_seconds", r.simulatedSeconds());
        m.put("events", r.events());
        m.put("wall_ms", wallMs);
        m.put("seed", r.seed());
        m.put("config", c.describe());
        try {
            return new ObjectMapper().writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the result as JSON", e);
        }
    }

    /** Parses {@code START_MS:END_MS}. */
    public static final class PartitionConverter implements picocli.CommandLine.ITypeConverter<Partition> {
        @Override
        public Partition convert(String value) {
            return Partition.parse(value);
        }
    }

    /** Parses {@code SIDE:INDEX:CRASH_MS:RESTART_MS}. */
    public static final class RestartConverter implements picocli.CommandLine.ITypeConverter<CrashRestart> {
        @Override
        public CrashRestart convert(String value) {
            return CrashRestart.parse(value);
        }
    }

    /** Parses a Byzantine mode name such as {@code ack-stale}. */
    public static final class ByzantineModeConverter implements picocli.CommandLine.ITypeConverter<ByzantineMode> {
        @Override
        public ByzantineMode convert(String value) {
            return ByzantineMode.parse(value);
        }
    }
}
