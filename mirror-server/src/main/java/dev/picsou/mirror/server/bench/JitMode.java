package dev.picsou.mirror.server.bench;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which JIT compilers the bench's JVMs run. Five Raft servers per JVM and two JVMs on a two-CPU machine keep C2
 * busy for minutes (deoptimisation and recompilation of the shaded gRPC, Netty and protobuf code): measured on the
 * paper scenario, C2's compiler threads took about 40% of a CPU in each process after 90 s of load, and Picsou ran
 * at 108-128 entries/s with C2 against 181-188 with C1 only (docs/performance.md). {@link #C1} is the bench's
 * default; {@link #C2} is the JVM's own default (tiered C1 then C2).
 */
public enum JitMode {
    /** Tiered compilation stopped at level 1: C1 without profiling, cheap compiles, no deoptimisation storms. */
    C1,
    /** The JVM's default tiered compilation (C1, then C2 for hot code). */
    C2;

    private static final String STOP_AT_LEVEL_1 = "-XX:TieredStopAtLevel=1";

    /** The mode of this JVM. */
    public static JitMode current() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            String level = hotspot.getVMOption("TieredStopAtLevel").getValue();
            return "1".equals(level) ? C1 : C2;
        } catch (RuntimeException e) {
            return C2;
        }
    }

    /**
     * Parses {@code c1} or {@code c2} (any case).
     *
     * @throws IllegalArgumentException naming the valid values
     */
    public static JitMode parse(String text) {
        for (JitMode m : values()) {
            if (m.name().equalsIgnoreCase(text)) {
                return m;
            }
        }
        throw new IllegalArgumentException("--jit must be c1 or c2, was '" + text + "'");
    }

    /** The JVM options that select this mode (appended after any others, so they win). */
    public List<String> jvmOptions() {
        return this == C1 ? List.of(STOP_AT_LEVEL_1) : List.of();
    }

    /**
     * The command that runs this JVM's main class again with {@code args} in this mode: the same java, JVM
     * options (minus any earlier choice of mode) and class path.
     */
    public List<String> relaunchCommand(String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-XX:TieredStopAtLevel=") && !option.equals("-XX:-TieredCompilation")) {
                cmd.add(option);
            }
        }
        cmd.addAll(jvmOptions());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** The {@code java} launcher of this JVM's installation. */
    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
