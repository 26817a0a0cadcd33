package dev.picsou.mirror.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.picsou.mirror.config.ConfigException;
import dev.picsou.mirror.config.DeploymentConfig;
import dev.picsou.mirror.config.DurabilityConfig;
import dev.picsou.mirror.config.DurabilityMode;
import dev.picsou.mirror.config.NodeConfig;
import dev.picsou.mirror.config.SiteConfig;
import dev.picsou.mirror.config.Units;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What {@code picsou config check} prints: a readable summary, or one JSON object (docs/config.md). */
final class ConfigReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigReport() {
    }

    /** The first line says the file is valid; then each site and each of its nodes with their addresses. */
    static String summary(Path file, DeploymentConfig c) {
        StringBuilder sb = new StringBuilder();
        String nl = System.lineSeparator();
        sb.append(String.format(Locale.ROOT, "%s: valid; deployment %s: %d sites, %d nodes, protocol %s, TLS %s%n",
                file, c.name(), c.sites().size(), c.allNodes().size(), c.channel().protocol(),
                c.tls().enabled() ? "on" : "off"));
        int width = c.allNodes().stream().mapToInt(n -> n.id().length()).max().orElse(0);
        for (SiteConfig site : c.sites()) {
            sb.append(String.format(Locale.ROOT, "  site %s: %s, u=%d r=%d, %d nodes, durability %s%n", site.id(),
                    site.initialRole().configName(), site.u(), site.r(), site.nodes().size(),
                    durability(site.durability())));
            for (NodeConfig n : site.nodes()) {
                sb.append(String.format(Locale.ROOT, "    %-" + width + "s  raft %s  picsou %s  admin %s  data %s",
                        n.id(), n.raft(), n.picsou(), n.admin(), n.dataDir())).append(nl);
            }
        }
        return sb.toString();
    }

    private static String durability(DurabilityConfig d) {
        return d.mode() == DurabilityMode.ASYNC ? "async" : "sync (after " + Units.formatDuration(d.syncTimeout())
                + " without the mirror: " + d.onTimeout().configName() + ")";
    }

    /** {@code {"ok":true,"file":..,"name":..,"protocol":..,"tls":..,"sites":[...]}} on one line. */
    static String validJson(Path file, DeploymentConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", true);
        m.put("file", file.toString());
        m.put("name", c.name());
        m.put("protocol", c.channel().protocol());
        m.put("tls", c.tls().enabled());
        m.put("sites", c.sites().stream().map(ConfigReport::siteJson).toList());
        return write(m);
    }

    private static Map<String, Object> siteJson(SiteConfig s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("role", s.initialRole().configName());
        m.put("u", s.u());
        m.put("r", s.r());
        Map<String, Object> durability = new LinkedHashMap<>();
        durability.put("mode", s.durability().mode().configName());
        durability.put("sync_timeout", Units.formatDuration(s.durability().syncTimeout()));
        durability.put("on_timeout", s.durability().onTimeout().configName());
        m.put("durability", durability);
        m.put("nodes", s.nodes().stream().map(n -> {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("id", n.id());
            node.put("raft", n.raft().toString());
            node.put("picsou", n.picsou().toString());
            node.put("admin", n.admin().toString());
            node.put("data", n.dataDir().toString());
            return node;
        }).toList());
        return m;
    }

    /** {@code {"ok":false,"file":..,"problems":[{"line":..,"field":..,"message":..}]}} on one line. */
    static String problemsJson(Path file, ConfigException e) {
        List<Map<String, Object>> problems = e.problems().stream().map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("line", p.line());
            m.put("field", p.field());
            m.put("message", p.message());
            return m;
        }).toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", false);
        m.put("file", file.toString());
        m.put("problems", problems);
        return write(m);
    }

    private static String write(Map<String, Object> m) {
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);
        }
    }
}
