package dev.picsou.mirror.config;

import java.util.HashMap;
import java.util.Map;

/**
 * The line of every field path in a {@link YamlNode} tree ({@code sites[1].nodes[0].admin} to the line of its
 * key), for checks that run on the typed records after reading.
 */
final class Locations {
    private final Map<String, Integer> lines = new HashMap<>();

    Locations(YamlNode root) {
        index(root, "");
    }

    /** Whether the file writes {@code field} (rather than leaving it to its default). */
    boolean has(String field) {
        return lines.containsKey(field);
    }

    /** The line of {@code field}, or of its nearest enclosing field that is in the file (a default), or 1. */
    int lineOf(String field) {
        String f = field;
        while (!f.isEmpty()) {
            Integer line = lines.get(f);
            if (line != null) {
                return line;
            }
            f = f.substring(0, Math.max(Math.max(f.lastIndexOf('.'), f.lastIndexOf('[')), 0));
        }
        return lines.getOrDefault("", 1);
    }

    private void index(YamlNode node, String at) {
        lines.putIfAbsent(at, node.line());
        if (node instanceof YamlNode.Mapping m) {
            for (YamlNode.Entry e : m.entries().values()) {
                String field = at.isEmpty() ? e.key() : at + "." + e.key();
                lines.put(field, e.line());
                index(e.value(), field);
            }
        } else if (node instanceof YamlNode.Sequence s) {
            for (int i = 0; i < s.items().size(); i++) {
                index(s.items().get(i), at + "[" + i + "]");
            }
        }
    }
}
