package dev.picsou.mirror.server.cli;

import dev.picsou.mirror.config.ConfigException;
import dev.picsou.mirror.config.ConfigLoader;
import dev.picsou.mirror.config.DeploymentConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code picsou config}: commands on deployment files (docs/config.md); today {@code check}. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Work with deployment files (docs/config.md).",
        subcommands = {ConfigCommand.Check.class})
public final class ConfigCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand, e.g. 'check'");
    }

    /**
     * {@code picsou config check FILE [--json]}: loads and validates FILE without starting anything. Exit code 0
     * with a summary (or {@code {"ok":true,...}}) when it is valid; 1 with every problem, one per line on stderr as
     * {@code FILE:LINE: FIELD: message} (or {@code {"ok":false,...}} on stdout), when it is invalid or unreadable;
     * 2 for bad options.
     */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Validate a deployment file without starting anything: print a summary of its sites and "
                    + "nodes, or every problem in it with its line and field."})
    public static final class Check implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The deployment file (YAML).")
        private Path file;

        @Option(names = "--json", description = "Print exactly one JSON object on stdout instead of text.")
        private boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                DeploymentConfig config = ConfigLoader.load(file);
                if (json) {
                    out.println(ConfigReport.validJson(file, config));
                } else {
                    out.print(ConfigReport.summary(file, config));
                }
                return PicsouCli.EXIT_OK;
            } catch (ConfigException e) {
                if (json) {
                    out.println(ConfigReport.problemsJson(file, e));
                } else {
                    e.problems().forEach(err::println);
                }
                return PicsouCli.EXIT_FAILED;
            } finally {
                out.flush();
                err.flush();
            }
        }
    }
}
