package dev.picsou.mirror.config;

import dev.picsou.mirror.config.ConfigException.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The problems found so far in one file; not thread-safe. */
final class Problems {
    private final Path file;
    private final List<Problem> found = new ArrayList<>();

    Problems(Path file) {
        this.file = file;
    }

    void add(int line, String field, String message) {
        found.add(new Problem(file, line, field, message));
    }

    /** How many so far; a reader compares counts to tell whether the values it just read were all good. */
    int count() {
        return found.size();
    }

    /** @throws ConfigException with every problem so far, in line order, if there is any */
    void throwIfAny() throws ConfigException {
        if (!found.isEmpty()) {
            List<Problem> sorted = new ArrayList<>(found);
            sorted.sort(Comparator.comparingInt(Problem::line));
            throw new ConfigException(sorted);
        }
    }

    /** A ConfigException with this one problem, for errors that stop reading. */
    ConfigException single(int line, String field, String message) {
        return new ConfigException(List.of(new Problem(file, line, field, message)));
    }
}
