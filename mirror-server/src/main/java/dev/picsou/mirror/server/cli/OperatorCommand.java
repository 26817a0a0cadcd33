package dev.picsou.mirror.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.picsou.mirror.config.ConfigException;
import dev.picsou.mirror.config.ConfigLoader;
import dev.picsou.mirror.config.DeploymentConfig;
import dev.picsou.mirror.server.ops.OperationException;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every operator command shares: {@code --config F} (the deployment's YAML), {@code --json} (one JSON object on
 * stdout, progress on stderr) and the exit codes: 0 done, 1 refused or failed (the message says why), 2 bad options,
 * 3 a node the command needs is unreachable, 4 the config file is invalid.
 */
abstract class OperatorCommand implements Callable<Integer> {
    /** Exit code: the config file is missing or invalid. */
    static final int EXIT_BAD_CONFIG = 4;
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", required = true,
            description = "The deployment's YAML file.")
    Path configFile;

    @Option(names = "--json", description = "Print one JSON object on stdout (progress goes to stderr).")
    boolean json;

    /** Runs the command against the loaded config; progress lines go to {@code progress}. */
    abstract Map<String, Object> execute(DeploymentConfig config, Consumer<String> progress) throws Exception;

    /** The human-readable rendering of a result; by default its fields, one per line. */
    void printHuman(PrintWriter out, Map<String, Object> result) {
        result.forEach((k, v) -> out.println(k + ": " + v));
    }

    /** Whether the result means success (exit 0); by default always. */
    boolean succeeded(Map<String, Object> result) {
        return true;
    }

    /** The exit code of a result that did not succeed; by default 1. */
    int failureCode() {
        return PicsouCli.EXIT_FAILED;
    }

    @Override
    public final Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String name = spec.qualifiedName();
        DeploymentConfig config;
        try {
            config = ConfigLoader.load(configFile);
        } catch (ConfigException e) {
            return fail(out, err, name, "invalid config:\n" + e.getMessage(), EXIT_BAD_CONFIG);
        }
        Consumer<String> progress = line -> {
            err.println(name + ": " + line);
            err.flush();
        };
        try {
            Map<String, Object> result = execute(config, progress);
            if (json) {
                out.println(JSON.writeValueAsString(result));
            } else {
                printHuman(out, result);
            }
            out.flush();
            return succeeded(result) ? PicsouCli.EXIT_OK : failureCode();
        } catch (OperationException e) {
            return fail(out, err, name, e.getMessage(), e.exitCode());
        }
    }

    private int fail(PrintWriter out, PrintWriter err, String name, String message, int code) throws Exception {
        if (json) {
            out.println(JSON.writeValueAsString(Map.of("ok", false, "error", message, "exit_code", code)));
            out.flush();
        }
        err.println(name + ": " + message);
        err.flush();
        return code;
    }
}
