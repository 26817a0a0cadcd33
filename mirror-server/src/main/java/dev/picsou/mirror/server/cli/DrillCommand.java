package dev.picsou.mirror.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.picsou.mirror.server.drill.DrillRunner;
import dev.picsou.mirror.server.site.SiteLogging;
import dev.picsou.mirror.storage.Directories;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code picsou drill}: a scripted disaster-recovery rehearsal with separate node processes on loopback. */
@Command(name = "drill", mixinStandardHelpOptions = true,
        description = "Rehearse disaster recovery on loopback with one process per node: deploy 3+3, load, switch "
                + "over and back, kill -9 the whole primary under load, fail over (RPO, RTO), rejoin the old primary "
                + "(lost writes, rewind), fail back, once with sync and once with async durability, then verify. "
                + "Exit 1 unless RPO(sync) is 0, verify passes, RTO < 5 s and the failback copied less than a full "
                + "snapshot.")
public final class DrillCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "3", description = "Nodes per site (default 3).")
    private int nodes;

    @Option(names = "--load-seconds", paramLabel = "S", defaultValue = "5",
            description = "Seconds of write load before each planned or unplanned event (default 5).")
    private int loadSeconds;

    @Option(names = "--in-flight", paramLabel = "N", defaultValue = "32", description = "Writes in flight (32).")
    private int inFlight;

    @Option(names = "--value-bytes", paramLabel = "B", defaultValue = "100", description = "Value size (100).")
    private int valueBytes;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Working directory, kept (default: a temporary one, removed unless the drill fails).")
    private Path dir;

    @Option(names = "--json", description = "Print one JSON object on stdout; progress goes to stderr.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        if (nodes < 3 || nodes % 2 == 0) {
            throw new ParameterException(spec.commandLine(), "--nodes must be odd and >= 3, was " + nodes);
        }
        if (loadSeconds < 1 || inFlight < 1 || valueBytes < 1) {
            throw new ParameterException(spec.commandLine(), "--load-seconds, --in-flight, --value-bytes must be >= 1");
        }
        SiteLogging.quietLibraries();
        boolean temporary = dir == null;
        Path base = temporary ? Files.createTempDirectory("picsou-drill-") : Files.createDirectories(dir);
        PrintStream progress = json ? System.err : System.out;
        PrintWriter out = spec.commandLine().getOut();
        boolean ok = false;
        try {
            Map<String, Object> report = new DrillRunner(new DrillRunner.Settings(base, nodes,
                    Duration.ofSeconds(loadSeconds), inFlight, valueBytes), progress).run();
            ok = Boolean.TRUE.equals(report.get("ok"));
            ObjectMapper mapper = new ObjectMapper();
            if (!json) {
                mapper.enable(SerializationFeature.INDENT_OUTPUT);
                out.println("drill report:");
            }
            out.println(mapper.writeValueAsString(report));
            out.flush();
            return ok ? PicsouCli.EXIT_OK : PicsouCli.EXIT_FAILED;
        } finally {
            if (temporary && ok) {
                Directories.deleteRecursively(base);
            } else {
                progress.println("drill files (config, node logs, lost-writes): " + base);
            }
        }
    }
}
