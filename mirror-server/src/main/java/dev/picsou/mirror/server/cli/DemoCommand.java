package dev.picsou.mirror.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.picsou.mirror.bridge.baseline.Protocols;
import dev.picsou.mirror.server.demo.DemoReport;
import dev.picsou.mirror.server.demo.DemoRunner;
import dev.picsou.mirror.storage.Directories;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code picsou demo}: a primary and a mirror site in this JVM, a write load, a drain, a digest check. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a 3-node primary site and a 3-node mirror site in this JVM on loopback (real Ratis, "
                + "real RocksDB, the Picsou channel over TCP), write to the primary for a while, then drain and "
                + "check that the mirror's state equals the primary's.")
public final class DemoCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "20",
            description = "How long the write load runs (default: ${DEFAULT-VALUE}).")
    private int durationSeconds;

    @Option(names = "--protocol", paramLabel = "NAME", defaultValue = "picsou",
            description = "picsou, ata, ll, otu or ost (default: ${DEFAULT-VALUE}).")
    private String protocol;

    @Option(names = "--value-bytes", paramLabel = "B", defaultValue = "100",
            description = "Bytes per written value (default: ${DEFAULT-VALUE}).")
    private int valueBytes;

    @Option(names = "--in-flight", paramLabel = "N", defaultValue = "100",
            description = "Client writes in flight (default: ${DEFAULT-VALUE}).")
    private int inFlight;

    @Option(names = "--compare-bare",
            description = "First run the same primary site without mirroring, same load, and report its rate.")
    private boolean compareBare;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Data directory (must not exist yet; default: a fresh temporary directory, removed).")
    private Path dir;

    @Option(names = "--json", description = "Print exactly one JSON object on stdout instead of the summary.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        boolean temporary = dir == null;
        Path base = temporary ? Files.createTempDirectory("picsou-demo-") : Files.createDirectories(dir);
        PrintStream progress = json ? null : System.out;
        try {
            DemoReport report = new DemoRunner(new DemoRunner.Settings(protocol, Duration.ofSeconds(durationSeconds),
                    valueBytes, inFlight, compareBare, base), progress).run();
            if (json) {
                out.println(new ObjectMapper().writeValueAsString(report.toJson()));
            } else {
                printSummary(out, report);
            }
            out.flush();
            return report.ok() ? PicsouCli.EXIT_OK : PicsouCli.EXIT_FAILED;
        } finally {
            if (temporary) {
                deleteTree(base);
            }
        }
    }

    private void validate() {
        if (durationSeconds < 1 || durationSeconds > 3600) {
            throw new ParameterException(spec.commandLine(), "--duration must be in [1, 3600] seconds, was "
                    + durationSeconds);
        }
        if (valueBytes < 0 || valueBytes > 1 << 20) {
            throw new ParameterException(spec.commandLine(), "--value-bytes must be in [0, 1048576], was "
                    + valueBytes);
        }
        if (inFlight < 1 || inFlight > 10_000) {
            throw new ParameterException(spec.commandLine(), "--in-flight must be in [1, 10000], was " + inFlight);
        }
        try {
            Protocols.byName(protocol);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--protocol: " + e.getMessage());
        }
        if (dir != null && Files.exists(dir)) {
            throw new ParameterException(spec.commandLine(), "--dir " + dir + " already exists; give a new path");
        }
    }

    private static void printSummary(PrintWriter out, DemoReport r) {
        out.println();
        out.printf(Locale.ROOT, "protocol            %s%n", r.protocol());
        out.printf(Locale.ROOT, "primary seq         %,d%n", r.primarySeq());
        out.printf(Locale.ROOT, "mirror seq          %,d%n", r.mirrorSeq());
        out.printf(Locale.ROOT, "QUACKed seq         %,d%n", r.quackedSeq());
        out.printf(Locale.ROOT, "digests match       %s%n", r.digestMatch() ? "yes" : "NO");
        out.printf(Locale.ROOT, "writes/s            %,.0f%s%n", r.entriesPerS(), r.bareEntriesPerS() < 0 ? ""
                : String.format(Locale.ROOT, " (without mirroring: %,.0f)", r.bareEntriesPerS()));
        out.printf(Locale.ROOT, "lag p50 / p99       %.1f / %.1f ms%n", r.lagP50Ms(), r.lagP99Ms());
        out.printf(Locale.ROOT, "write p50 / p99     %.1f / %.1f ms%n", r.writeP50Ms(), r.writeP99Ms());
        out.printf(Locale.ROOT, "WAN copies/entry    %.3f (%,d resends)%n", r.wanCopiesPerEntry(), r.resends());
        out.printf(Locale.ROOT, "drain               %,d ms%n", r.drainMs());
        out.println(r.ok() ? "OK: the mirror holds every entry and its state equals the primary's."
                : "PROBLEM: the mirror does not match the primary (see above).");
    }

    private static void deleteTree(Path root) {
        try {
            Directories.deleteRecursively(root);
        } catch (java.io.IOException e) {
            // A leftover temporary directory is harmless.
        }
    }
}
