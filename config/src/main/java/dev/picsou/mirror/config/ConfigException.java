package dev.picsou.mirror.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A configuration file that cannot be used, with every problem found in it. {@link #getMessage()} has one line per
 * problem, in file order: {@code FILE:LINE: FIELD: what is wrong; expected ...}.
 */
public final class ConfigException extends Exception {
    private final List<Problem> problems;

    /** @throws IllegalArgumentException if {@code problems} is empty */
    public ConfigException(List<Problem> problems) {
        super(render(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem, at least one, in the order of {@link #getMessage()}. */
    public List<Problem> problems() {
        return problems;
    }

    private static String render(List<Problem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        return problems.stream().map(Problem::toString).collect(Collectors.joining(System.lineSeparator()));
    }

    /**
     * One thing wrong with the file.
     *
     * @param file    the file, as given to the loader
     * @param line    1-based; 0 when the problem is not at a line (e.g. the file cannot be read)
     * @param field   the path of the field, e.g. {@code sites[1].nodes[0].admin}; empty for the whole file
     * @param message what is wrong and what was expected
     */
    public record Problem(Path file, int line, String field, String message) {
        public Problem {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(message, "message");
        }

        /** {@code FILE:LINE: FIELD: message}, without {@code :LINE} when the line is 0 or the field when empty. */
        @Override
        public String toString() {
            return file + (line > 0 ? ":" + line : "") + ": " + (field.isEmpty() ? "" : field + ": ") + message;
        }
    }
}
