package dev.picsou.mirror.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.picsou.mirror.server.cli.PicsouCli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine;

/**
 * Runs one {@code picsou} operator command in this JVM (the commands are clients of the nodes' admin endpoints and
 * Raft groups; the nodes themselves are separate processes) and captures what it printed.
 */
public final class Cli {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Cli() {
    }

    /** What a command returned and printed. */
    public record Result(List<String> args, int exitCode, String out, String err) {
        /** stdout parsed as JSON (the command ran with {@code --json}). */
        public JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException("stdout of " + this + " is not JSON", e);
            }
        }

        @Override
        public String toString() {
            return "picsou " + String.join(" ", args) + " -> exit " + exitCode + "\n--- stdout:\n" + out
                    + "\n--- stderr:\n" + err;
        }
    }

    /** {@code picsou ARGS}. */
    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = PicsouCli.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Result(List.of(args), code, out.toString(), err.toString());
    }

    /**
     * {@link #json}, run again while the command refuses at its first step, before it changes anything ("COMMAND needs
     * every node of site ...", exit 3) because a node's status read timed out rather than because a node is down: on
     * this shared 2-core host every JVM stalls for seconds at times, longer than the commands' 2 s status timeout.
     */
    public static Result jsonOnceReachable(Path config, String... command) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String refusal = command[0] + " needs every node of site";
        while (true) {
            Result r = json(config, command);
            boolean stalled = r.exitCode() == 3 && r.err().contains(refusal) && r.err().contains("(request timed out)");
            if (!stalled || System.nanoTime() - deadline > 0) {
                return r;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return r;
            }
        }
    }

    /** {@code picsou COMMAND... -c CONFIG --json}. */
    public static Result json(Path config, String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        args.add("-c");
        args.add(config.toString());
        args.add("--json");
        return run(args.toArray(String[]::new));
    }
}
