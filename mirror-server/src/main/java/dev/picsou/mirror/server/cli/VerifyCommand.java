package dev.picsou.mirror.server.cli;

import dev.picsou.mirror.config.DeploymentConfig;
import dev.picsou.mirror.server.ops.DataOperations;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import picocli.CommandLine.Command;

/** {@code picsou verify}. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Compare the digest of every node's state, primary and mirror, at a common seq (waits up to "
                + "60 s for the nodes to reach one; pause writes). Exit 1 if any differs.")
final class VerifyCommand extends OperatorCommand {
    @Override
    Map<String, Object> execute(DeploymentConfig config, Consumer<String> progress) throws Exception {
        return new DataOperations(config, progress).verify();
    }

    @Override
    boolean succeeded(Map<String, Object> result) {
        return Boolean.TRUE.equals(result.get("ok"));
    }

    private static String text(Object o) {
        return o instanceof com.fasterxml.jackson.databind.JsonNode j ? j.asText() : String.valueOf(o);
    }

    @Override
    void printHuman(PrintWriter out, Map<String, Object> result) {
        out.println((Boolean.TRUE.equals(result.get("ok")) ? "OK" : "MISMATCH") + ": every node at seq "
                + result.get("seq"));
        for (Object o : (List<?>) result.get("nodes")) {
            Map<?, ?> n = (Map<?, ?>) o;
            out.printf("  %-12s %-10s %8s pairs  %s%n", text(n.get("node")), text(n.get("site")), text(n.get("pairs")),
                    text(n.get("sha256")));
        }
    }
}
