package dev.picsou.mirror.config;

import dev.picsou.mirror.config.YamlNode.Kind;
import dev.picsou.mirror.config.YamlNode.Scalar;
import java.math.BigInteger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One YAML mapping being read into a record: typed getters that report every bad value to {@link Problems} under
 * the field's path and line, then return the default (or null for a value without default), so that reading goes
 * on and all problems are found at once. A key whose value is empty ({@code key:} or {@code ~}) counts as absent.
 */
final class Section {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]+");

    private final YamlNode.Mapping mapping;
    private final String path;
    private final Problems problems;

    private Section(YamlNode.Mapping mapping, String path, Problems problems) {
        this.mapping = mapping;
        this.path = path;
        this.problems = problems;
    }

    /** {@code node} as a mapping allowed to hold {@code keys}; reports unknown keys; empty if not a mapping. */
    static Optional<Section> of(YamlNode node, String path, List<String> keys, Problems problems) {
        if (!(node instanceof YamlNode.Mapping m)) {
            problems.add(node.line(), path, node.describe() + " is not a mapping; expected a mapping with keys "
                    + String.join(", ", keys));
            return Optional.empty();
        }
        for (YamlNode.Entry e : m.entries().values()) {
            if (!keys.contains(e.key())) {
                problems.add(e.line(), join(path, e.key()), "unknown key; expected one of " + String.join(", ", keys)
                        + closest(e.key(), keys).map(k -> " (did you mean " + k + "?)").orElse(""));
            }
        }
        return Optional.of(new Section(m, path, problems));
    }

    /** The path of {@code key} in this mapping, e.g. {@code sites[0].u}. */
    String field(String key) {
        return join(path, key);
    }

    /** The nested mapping {@code key}, empty when absent (or not a mapping, which is reported). */
    Optional<Section> section(String key, List<String> keys) {
        return value(key).flatMap(v -> of(v, field(key), keys, problems));
    }

    /** The mappings in the required list {@code key}, at paths {@code key[i]}; what cannot be read is reported. */
    List<Section> sections(String key, List<String> keys, String expected) {
        Optional<YamlNode> v = value(key);
        if (v.isEmpty()) {
            missing(key, expected);
            return List.of();
        }
        if (!(v.get() instanceof YamlNode.Sequence seq)) {
            wrong(key, v.get(), "a list", expected);
            return List.of();
        }
        List<Section> items = new ArrayList<>();
        for (int i = 0; i < seq.items().size(); i++) {
            of(seq.items().get(i), field(key) + "[" + i + "]", keys, problems).ifPresent(items::add);
        }
        return items;
    }

    /** Any scalar as text, or {@code def} when absent; a null {@code def} makes the key required. */
    String text(String key, String def, String expected) {
        Optional<YamlNode> v = value(key);
        if (v.isEmpty()) {
            return def == null ? missing(key, expected) : def;
        }
        return scalarText(key, v.get(), expected);
    }

    /** A required id: letters, digits, '-' and '_'. */
    String id(String key) {
        Optional<YamlNode> v = value(key);
        if (v.isEmpty()) {
            return missing(key, "an id of letters, digits, '-' and '_'");
        }
        String id = scalarText(key, v.get(), "an id of letters, digits, '-' and '_'");
        if (id != null && !ID.matcher(id).matches()) {
            return report(key, v.get().describe() + " is not a valid id; expected letters, digits, '-' and '_'");
        }
        return id;
    }

    /** An integer in {@code [min, max]}, or {@code def} when absent. */
    long integer(String key, long def, long min, long max) {
        Optional<YamlNode> v = value(key);
        if (v.isEmpty()) {
            return def;
        }
        String expected = max == Long.MAX_VALUE || max == Integer.MAX_VALUE
                ? "an integer >= " + min : "an integer in " + min + ".." + max;
        if (!(v.get() instanceof Scalar s) || s.kind() != Kind.INTEGER) {
            wrong(key, v.get(), "an integer", expected);
            return def;
        }
        BigInteger i = s.integer();
        if (i.compareTo(BigInteger.valueOf(min)) < 0 || i.compareTo(BigInteger.valueOf(max)) > 0) {
            report(key, s.text() + " is out of range; expected " + expected);
            return def;
        }
        return i.longValueExact();
    }

    /** A positive byte size (plain integer or with a unit, see {@link Units}), or {@code def} when absent. */
    long bytes(String key, long def) {
        Optional<YamlNode> v = value(key);
        if (v.isEmpty()) {
            return def;
        }
        String text = scalarText(key, v.get(), "a byte size, e.g. 64MiB");
        if (text == null) {
            return def;
        }
        try {
            long bytes = Units.parseBytes(text);
            return bytes > 0 ? bytes : notPositive(key, text, "a size", def);
        } catch (IllegalArgumentException e) {
            report(key, e.getMessage());
            return def;
        }
    }

    /** A positive duration (see {@link Units}), or {@code def} when absent. */
    Duration duration(String key, Duration def) {
        return duration(key, def, false);
    }

    /** A duration (see {@link Units}), zero allowed when {@code zeroAllowed}, or {@code def} when absent. */
    Duration duration(String key, Duration def, boolean zeroAllowed) {
        Optional<YamlNode> v = value(key);
        if (v.isEmpty()) {
            return def;
        }
        String text = scalarText(key, v.get(), "a duration, e.g. 250ms, 2s, 1m");
        if (text == null) {
            return def;
        }
        try {
            Duration d = Units.parseDuration(text);
            return d.isZero() && !zeroAllowed ? notPositive(key, text, "a duration", def) : d;
        } catch (IllegalArgumentException e) {
            report(key, e.getMessage());
            return def;
        }
    }

    /** A number in (0, 1], or {@code def} when absent. */
    double fraction(String key, double def) {
        Optional<YamlNode> v = value(key);
        if (v.isEmpty()) {
            return def;
        }
        String expected = "a number in (0, 1], e.g. 0.8";
        if (!(v.get() instanceof Scalar s) || (s.kind() != Kind.FLOAT && s.kind() != Kind.INTEGER)) {
            wrong(key, v.get(), "a number", expected);
            return def;
        }
        double d = Double.parseDouble(s.integer() != null ? s.integer().toString() : s.text());
        if (!(d > 0 && d <= 1)) {
            report(key, s.text() + " is out of range; expected " + expected);
            return def;
        }
        return d;
    }

    /** {@code true} or {@code false}, or {@code def} when absent. */
    boolean bool(String key, boolean def) {
        Optional<YamlNode> v = value(key);
        if (v.isPresent() && !(v.get() instanceof Scalar s && s.kind() == Kind.BOOLEAN)) {
            wrong(key, v.get(), "a boolean", "true or false");
            return def;
        }
        return v.map(n -> Boolean.parseBoolean(((Scalar) n).text())).orElse(def);
    }

    /**
     * One of the constants of {@code type} by its name in the file ({@code keep-blocking} for KEEP_BLOCKING), or
     * {@code def} when absent; a null {@code def} makes the key required. Null when bad.
     */
    <E extends Enum<E>> E choice(String key, Class<E> type, E def) {
        List<E> constants = Arrays.asList(type.getEnumConstants());
        List<String> names = constants.stream().map(Section::fileName).toList();
        String name = oneOf(key, def == null ? null : fileName(def), names);
        return name == null ? null : constants.get(names.indexOf(name));
    }

    /**
     * One of {@code allowed} (ignoring case, '_' read as '-'), or {@code def} when absent; a null {@code def}
     * makes the key required. Null when bad.
     */
    String oneOf(String key, String def, List<String> allowed) {
        Optional<YamlNode> v = value(key);
        String expected = "one of " + String.join(", ", allowed);
        if (v.isEmpty()) {
            return def == null ? missing(key, expected) : def;
        }
        String text = scalarText(key, v.get(), expected);
        if (text == null) {
            return null;
        }
        String normal = text.toLowerCase(Locale.ROOT).replace('_', '-');
        if (!allowed.contains(normal)) {
            return report(key, v.get().describe() + " is not allowed; expected " + expected);
        }
        return normal;
    }

    /** A required {@code host:port}. */
    HostPort hostPort(String key, String example) {
        Optional<YamlNode> v = value(key);
        String expected = "host:port, e.g. " + example;
        if (v.isEmpty()) {
            return missing(key, expected);
        }
        if (!(v.get() instanceof Scalar s) || s.kind() != Kind.STRING) {
            return wrong(key, v.get(), "host:port", expected);
        }
        try {
            return HostPort.parse(s.text());
        } catch (IllegalArgumentException e) {
            return report(key, e.getMessage());
        }
    }

    /** A path resolved against {@code base} and normalized; null when absent (reported if required). */
    Path path(String key, Path base, boolean required, String expected) {
        Optional<YamlNode> v = value(key);
        if (v.isEmpty()) {
            return required ? missing(key, expected) : null;
        }
        String text = scalarText(key, v.get(), expected);
        try {
            return text == null ? null : base.resolve(text).normalize();
        } catch (InvalidPathException e) {
            return report(key, v.get().describe() + " is not a valid path (" + e.getReason() + "); expected "
                    + expected);
        }
    }

    /** Reports {@code key} as missing; returns null. */
    <T> T missing(String key, String expected) {
        problems.add(mapping.line(), field(key), "missing; expected " + expected);
        return null;
    }

    private Optional<YamlNode> value(String key) {
        YamlNode.Entry e = mapping.entries().get(key);
        if (e == null || e.value() instanceof Scalar s && s.kind() == Kind.NULL) {
            return Optional.empty();
        }
        return Optional.of(e.value());
    }

    private int lineOf(String key) {
        YamlNode.Entry e = mapping.entries().get(key);
        return e == null ? mapping.line() : e.line();
    }

    private String scalarText(String key, YamlNode v, String expected) {
        if (v instanceof Scalar s) {
            return s.text();
        }
        return wrong(key, v, "a single value", expected);
    }

    private <T> T notPositive(String key, String text, String what, T def) {
        report(key, "\"" + text + "\" is not positive; expected " + what + " above zero");
        return def;
    }

    private <T> T wrong(String key, YamlNode v, String what, String expected) {
        return report(key, v.describe() + " is not " + what + "; expected " + expected);
    }

    private <T> T report(String key, String message) {
        problems.add(lineOf(key), field(key), message);
        return null;
    }

    private static String fileName(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The allowed key at edit distance at most 2 from {@code key}, if there is one. */
    private static Optional<String> closest(String key, List<String> keys) {
        return keys.stream().filter(k -> distance(key, k) <= 2)
                .min((a, b) -> Integer.compare(distance(key, a), distance(key, b)));
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int swap = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + swap);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
