package dev.picsou.mirror.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.picsou.mirror.config.DeploymentConfig;
import dev.picsou.mirror.config.SiteConfig;
import dev.picsou.mirror.server.ops.DeploymentView;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import picocli.CommandLine.Command;

/** {@code picsou status}: both sites, every node. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show both sites: role, epoch, and per node its leader, seqs, lag and link state. Exit 3 if a "
                + "node does not answer.")
final class StatusCommand extends OperatorCommand {
    private boolean allUp = true;

    @Override
    Map<String, Object> execute(DeploymentConfig config, Consumer<String> progress) {
        DeploymentView view = DeploymentView.read(config);
        List<Object> sites = new ArrayList<>();
        for (SiteConfig s : config.sites()) {
            List<Object> nodes = new ArrayList<>();
            for (DeploymentView.NodeView n : view.site(s.id())) {
                if (n.reachable()) {
                    nodes.add(n.status());
                } else {
                    allUp = false;
                    Map<String, Object> down = new LinkedHashMap<>();
                    down.put("node", n.node().id());
                    down.put("reachable", false);
                    down.put("error", n.error());
                    nodes.add(down);
                }
            }
            Map<String, Object> site = new LinkedHashMap<>();
            site.put("id", s.id());
            site.put("role", view.role(s.id()).orElse("UNKNOWN"));
            site.put("epoch", view.epoch(s.id()));
            site.put("nodes", nodes);
            sites.add(site);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("deployment", config.name());
        r.put("sites", sites);
        return r;
    }

    /** Exit 3 when a node does not answer (the table still shows the others). */
    @Override
    boolean succeeded(Map<String, Object> result) {
        return allUp;
    }

    @Override
    int failureCode() {
        return dev.picsou.mirror.server.ops.OperationException.UNREACHABLE;
    }

    @Override
    void printHuman(PrintWriter out, Map<String, Object> result) {
        out.printf("%-10s %-8s %5s  %-10s %-5s %-6s %9s %9s %9s %8s  %s%n", "SITE", "ROLE", "EPOCH", "NODE", "UP",
                "LEADER", "SEQ", "QUACKED", "DURABLE", "LAG", "LINK");
        for (Object o : (List<?>) result.get("sites")) {
            Map<?, ?> site = (Map<?, ?>) o;
            for (Object n : (List<?>) site.get("nodes")) {
                if (n instanceof JsonNode s) {
                    out.printf("%-10s %-8s %5s  %-10s %-5s %-6s %9s %9s %9s %8s  %s%n", site.get("id"),
                            s.path("role").asText(), s.path("epoch").asText(), s.path("node").asText(),
                            s.path("running").asBoolean() ? "yes" : "idle",
                            s.path("is_leader").asBoolean() ? "*" : "", text(s, "state_seq"),
                            text(s, "quacked_seq"), text(s, "durable_seq"),
                            s.has("lag_entries") ? s.path("lag_entries").asText() : "-",
                            s.path("link").path("state").asText("-")
                                    + (s.has("fenced_by") ? "  FENCED: " + s.path("fenced_by").asText() : "")
                                    + (s.has("awaiting") ? "  AWAITING " + s.path("awaiting").asText() : ""));
                } else {
                    Map<?, ?> down = (Map<?, ?>) n;
                    out.printf("%-10s %-8s %5s  %-10s %-5s  %s%n", site.get("id"), "-", "-", down.get("node"), "DOWN",
                            down.get("error"));
                }
            }
        }
    }

    private static String text(JsonNode s, String field) {
        return s.has(field) ? s.path(field).asText() : "-";
    }
}
