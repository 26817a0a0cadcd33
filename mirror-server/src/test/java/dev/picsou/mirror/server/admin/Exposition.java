package dev.picsou.mirror.server.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format 0.0.4 as {@link PrometheusText} writes it, for tests: every line is
 * a {@code # HELP}, a {@code # TYPE} or a sample {@code name{labels}? value}; every family has exactly one HELP
 * and one TYPE line before its samples; every sample belongs to the family just declared; families come sorted
 * by name. {@link #parse} throws an {@link AssertionError} naming the line that breaks a rule.
 */
final class Exposition {

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
    private static final Pattern SAMPLE = Pattern.compile(
            "(" + NAME + ")(\\{(?:" + LABEL + "(?:," + LABEL + ")*,?)?\\})? (\\S+)");
    private static final Pattern ONE_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE =
            Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|summary|histogram|untyped)");
    private static final Pattern VALUE = Pattern.compile(
            "[-+]?(?:NaN|Inf|[0-9]+(?:\\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\\.[0-9]+(?:[eE][-+]?[0-9]+)?)");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    record Family(String name, String type, String help, List<Sample> samples) {

        /** The value of the sample named {@code name} with exactly {@code labels}. */
        double value(String sampleName, Map<String, String> labels) {
            return samples.stream()
                    .filter(s -> s.name().equals(sampleName) && s.labels().equals(labels))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no sample " + sampleName + labels + " in " + this))
                    .value();
        }

        double value() {
            return value(name, Map.of());
        }
    }

    private Exposition() {
    }

    /** Families by name, in the order of the text. */
    static Map<String, Family> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new AssertionError("exposition does not end with a newline");
        }
        Map<String, Family> families = new LinkedHashMap<>();
        String help = null;
        String helpName = null;
        Family current = null;
        String[] lines = text.isEmpty() ? new String[0] : text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            String where = "line " + (i + 1) + " '" + line + "'";
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                check(helpName == null, where + ": second HELP before a TYPE");
                check(!families.containsKey(m.group(1)), where + ": family declared twice");
                helpName = m.group(1);
                help = m.group(2);
            } else if ((m = TYPE.matcher(line)).matches()) {
                String name = m.group(1);
                check(name.equals(helpName), where + ": TYPE not right after the HELP of the same family");
                check(!families.containsKey(name), where + ": second TYPE line for " + name);
                check(current == null || current.name().compareTo(name) < 0, where + ": families not sorted");
                current = new Family(name, m.group(2), help, new ArrayList<>());
                families.put(name, current);
                helpName = null;
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                check(current != null && helpName == null, where + ": sample before its HELP and TYPE");
                check(belongsTo(m.group(1), current), where + ": sample outside its family " + current.name());
                check(VALUE.matcher(m.group(3)).matches(), where + ": bad value");
                current.samples().add(new Sample(m.group(1), labels(m.group(2)), value(m.group(3))));
            } else {
                throw new AssertionError(where + ": neither HELP, TYPE nor sample");
            }
        }
        check(helpName == null, "HELP without TYPE at the end");
        families.values().forEach(f -> check(!f.samples().isEmpty(), "family without samples: " + f.name()));
        return families;
    }

    private static boolean belongsTo(String sampleName, Family family) {
        if (sampleName.equals(family.name())) {
            return true;
        }
        return family.type().equals("summary")
                && Set.of(family.name() + "_count", family.name() + "_sum").contains(sampleName);
    }

    private static Map<String, String> labels(String braces) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (braces != null) {
            Matcher m = ONE_LABEL.matcher(braces);
            while (m.find()) {
                labels.put(m.group(1), m.group(2));
            }
        }
        return labels;
    }

    private static double value(String text) {
        return switch (text) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
