package dev.picsou.mirror.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Guards the pure core (STYLE.md 1 and 14): the packages {@code model}, {@code wire}, {@code picsou},
 * {@code baseline} and {@code sim} of ratis-bridge do no I/O, start no threads, read no clock and draw no unseeded
 * randomness, stay under 700 lines a file, and depend only downwards (model, wire, picsou, baseline, sim).
 *
 * <p>Reads the source files, with comments and string literals blanked out, so a failure names file and line.
 * Sub-packages count as their top package ({@code sim.faults} is {@code sim}).
 */
class PureCoreArchitectureTest {
    private static final String BRIDGE_SOURCES = "src/main/java/dev/picsou/mirror/bridge";
    private static final List<String> PURE_PACKAGES = List.of("model", "wire", "picsou", "baseline", "sim");
    private static final int MAX_LINES = 700;

    /** Banned references, by the reason printed when one is found. */
    private static final List<Rule> BANNED_REFERENCES = List.of(
            new Rule("Netty", "\\bio\\.netty\\b"),
            new Rule("RocksDB", "\\borg\\.rocksdb\\b"),
            new Rule("Ratis", "\\borg\\.apache\\.ratis\\b"),
            new Rule("java.net", "\\bjava\\.net\\b"),
            new Rule("java.nio.file", "\\bjava\\.nio\\.file\\b"),
            new Rule("java.util.concurrent", "\\bjava\\.util\\.concurrent\\b"),
            new Rule("java.io.File* (or java.io.*, which hides it)", "\\bjava\\.io\\.(File\\w*|\\*)"));

    /** Banned calls, by the reason printed when one is found. */
    private static final List<Rule> BANNED_CALLS = List.of(
            new Rule("System.nanoTime (take time as an argument)", "\\bSystem\\s*\\.\\s*nanoTime\\b"),
            new Rule("System.currentTimeMillis (take time as an argument)",
                    "\\bSystem\\s*\\.\\s*currentTimeMillis\\b"),
            new Rule("Thread.sleep", "\\bThread\\s*\\.\\s*sleep\\b"),
            new Rule("new Random( (draw from a generator passed in)",
                    "\\bnew\\s+(java\\s*\\.\\s*util\\s*\\.\\s*)?Random\\s*\\("),
            new Rule("Math.random", "\\bMath\\s*\\.\\s*random\\b"),
            new Rule("Instant.now", "\\bInstant\\s*\\.\\s*now\\b"),
            new Rule("LocalDateTime.now", "\\bLocalDateTime\\s*\\.\\s*now\\b"));

    /** For each pure package, the bridge packages it must not use. */
    private static final Map<String, Set<String>> FORBIDDEN_DEPENDENCIES = Map.of(
            "model", Set.of("wire", "picsou", "baseline", "sim", "transport", "hook"),
            "wire", Set.of("picsou", "baseline", "sim", "transport", "hook"),
            "picsou", Set.of("baseline", "sim", "transport", "hook"),
            "baseline", Set.of("sim", "transport", "hook"),
            "sim", Set.of("transport", "hook"));

    private static final Pattern BRIDGE_REFERENCE = Pattern.compile("\\bdev\\.picsou\\.mirror\\.bridge\\.(\\w+)");

    private static Path moduleDir;
    private static List<SourceFile> sources;

    @BeforeAll
    static void readSources() {
        moduleDir = locateModuleDir();
        Path bridge = moduleDir.resolve(BRIDGE_SOURCES);
        List<SourceFile> found = new ArrayList<>();
        for (String pkg : PURE_PACKAGES) {
            Path dir = bridge.resolve(pkg);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                    found.add(SourceFile.read(moduleDir, pkg, file));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + dir, e);
            }
        }
        sources = found;
    }

    @Test
    void findsTheSourcesItGuards() {
        assertThat(sources).as("source files under " + moduleDir.resolve(BRIDGE_SOURCES))
                .anyMatch(f -> f.pkg.equals("model"))
                .anyMatch(f -> f.pkg.equals("wire"));
    }

    @Test
    void pureCoreUsesNoNettyRocksDbRatisNetworkFilesOrConcurrency() {
        assertNone(matches(BANNED_REFERENCES, "uses"));
    }

    @Test
    void pureCoreReadsNoClockSleepsNotAndDrawsNoUnseededRandomness() {
        assertNone(matches(BANNED_CALLS, "calls"));
    }

    @Test
    void pureCorePackagesDependOnlyDownwards() {
        List<String> violations = new ArrayList<>();
        for (SourceFile file : sources) {
            Set<String> forbidden = FORBIDDEN_DEPENDENCIES.getOrDefault(file.pkg, Set.of());
            file.forEachCodeLine((line, code) -> {
                Matcher m = BRIDGE_REFERENCE.matcher(code);
                while (m.find()) {
                    if (forbidden.contains(m.group(1))) {
                        violations.add(file.at(line) + ": " + file.pkg + " must not depend on " + m.group(1)
                                + ": " + code.trim());
                    }
                }
            });
        }
        assertNone(violations);
    }

    @Test
    void pureCoreFilesStayUnder700Lines() {
        List<String> violations = new ArrayList<>();
        for (SourceFile file : sources) {
            if (file.lines.size() > MAX_LINES) {
                violations.add(file.relative + ": " + file.lines.size() + " lines, over the limit of " + MAX_LINES);
            }
        }
        assertNone(violations);
    }

    @Test
    void blanksCommentsAndLiteralsButKeepsLineNumbers() {
        String source = "int a; // System.nanoTime()\n/* java.net\n */ String s = \"Thread.sleep(1)\";\n"
                + "char c = '\"'; String t = \"\"\"\n   io.netty\n   \"\"\"; Math.random();\n";

        List<String> lines = SourceFile.stripCommentsAndLiterals(source).lines().toList();

        assertThat(lines).hasSize(6);
        assertThat(String.join("\n", lines)).doesNotContain("nanoTime", "java.net", "sleep", "netty");
        assertThat(lines.get(5)).contains("Math.random()");
    }

    private static List<String> matches(List<Rule> rules, String verb) {
        List<String> violations = new ArrayList<>();
        for (SourceFile file : sources) {
            file.forEachCodeLine((line, code) -> {
                for (Rule rule : rules) {
                    if (rule.pattern.matcher(code).find()) {
                        violations.add(file.at(line) + ": " + verb + " " + rule.what + ", banned in the pure core: "
                                + code.trim());
                    }
                }
            });
        }
        return violations;
    }

    private static void assertNone(List<String> violations) {
        if (!violations.isEmpty()) {
            fail(violations.size() + " architecture violation(s) in the pure core:\n  "
                    + String.join("\n  ", violations));
        }
    }

    /**
     * The ratis-bridge module directory: Maven runs tests from it, but an IDE may run them from the repository root,
     * so also try the directory holding the compiled tests ({@code target/test-classes}) and the parents of both.
     */
    private static Path locateModuleDir() {
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of("").toAbsolutePath());
        try {
            Path classes = Path.of(PureCoreArchitectureTest.class.getProtectionDomain().getCodeSource().getLocation()
                    .toURI());
            starts.add(classes);
        } catch (URISyntaxException | RuntimeException e) {
            // the working directory alone has to do
        }
        for (Path start : starts) {
            for (Path dir = start; dir != null; dir = dir.getParent()) {
                for (Path candidate : List.of(dir, dir.resolve("ratis-bridge"))) {
                    if (Files.isDirectory(candidate.resolve(BRIDGE_SOURCES).resolve("model"))) {
                        return candidate;
                    }
                }
            }
        }
        throw new IllegalStateException("cannot find ratis-bridge/" + BRIDGE_SOURCES + " from " + starts);
    }

    /** One source file: its raw lines (for counting) and its code with comments and literals blanked out. */
    private static final class SourceFile {
        final String pkg;
        final Path relative;
        final List<String> lines;
        final List<String> codeLines;

        private SourceFile(String pkg, Path relative, List<String> lines, List<String> codeLines) {
            this.pkg = pkg;
            this.relative = relative;
            this.lines = lines;
            this.codeLines = codeLines;
        }

        static SourceFile read(Path moduleDir, String pkg, Path file) throws IOException {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return new SourceFile(pkg, moduleDir.relativize(file), text.lines().toList(),
                    stripCommentsAndLiterals(text).lines().toList());
        }

        String at(int line) {
            return relative + ":" + line;
        }

        void forEachCodeLine(LineVisitor visitor) {
            for (int i = 0; i < codeLines.size(); i++) {
                visitor.visit(i + 1, codeLines.get(i));
            }
        }

        /**
         * Replaces comments and the contents of string, text-block and char literals by spaces, keeping every line
         * break, so the result has the same line numbers as the source.
         */
        static String stripCommentsAndLiterals(String src) {
            StringBuilder out = new StringBuilder(src.length());
            int i = 0;
            while (i < src.length()) {
                if (src.startsWith("//", i)) {
                    i = blankUntil(src, i, out, "\n", false);
                } else if (src.startsWith("/*", i)) {
                    i = blankUntil(src, i + 2, out.append("  "), "*/", false);
                } else if (src.startsWith("\"\"\"", i)) {
                    i = blankUntil(src, i + 3, out.append("\"\"\""), "\"\"\"", true);
                } else if (src.charAt(i) == '"' || src.charAt(i) == '\'') {
                    String quote = String.valueOf(src.charAt(i));
                    i = blankUntil(src, i + 1, out.append(quote), quote, true);
                } else {
                    out.append(src.charAt(i++));
                }
            }
            return out.toString();
        }

        /** Blanks from {@code i} up to {@code end}, copies {@code end}, returns the index after it. */
        private static int blankUntil(String src, int i, StringBuilder out, String end, boolean escapes) {
            while (i < src.length()) {
                if (escapes && src.charAt(i) == '\\' && i + 1 < src.length()) {
                    out.append(src.charAt(i + 1) == '\n' ? " \n" : "  ");
                    i += 2;
                } else if (src.startsWith(end, i)) {
                    out.append(end);
                    return i + end.length();
                } else {
                    out.append(src.charAt(i) == '\n' ? '\n' : ' ');
                    i++;
                }
            }
            return i;
        }
    }

    /** A banned pattern and what to call it in a failure. */
    private static final class Rule {
        final String what;
        final Pattern pattern;

        Rule(String what, String regex) {
            this.what = what;
            this.pattern = Pattern.compile(regex);
        }
    }

    @FunctionalInterface
    private interface LineVisitor {
        void visit(int line, String code);
    }
}
