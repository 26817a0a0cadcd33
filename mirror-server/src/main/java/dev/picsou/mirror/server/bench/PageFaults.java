package dev.picsou.mirror.server.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Minor page faults of a process so far, from {@code /proc/<pid>/stat} (Linux): each is a page the process touched
 * for the first time since the kernel gave it (new heap, memtable or buffer memory), which on a VM that returns freed
 * memory to its host is the dear kind of memory access (docs/performance.md, Findings). Page cache the kernel fills
 * on a write is not counted here.
 */
final class PageFaults {
    /** Field 10 of {@code stat}, counted from the first field after the command name's closing parenthesis (3). */
    private static final int MINFLT_AFTER_COMMAND = 10 - 3;

    private PageFaults() {
    }

    /** Minor faults of process {@code pid} since it started; -1 when unknown (not Linux, process gone). */
    static long minor(long pid) {
        try {
            return parseMinor(Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The minor fault count of a {@code /proc/<pid>/stat} line. The command name, in parentheses, may itself hold
     * spaces and parentheses, so the fields are counted from the last {@code ')'}.
     *
     * @throws IllegalArgumentException for a line without that field
     */
    static long parseMinor(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: no ')' in '" + stat.strip() + "'");
        }
        String[] fields = stat.substring(close + 1).strip().split("\\s+");
        if (fields.length <= MINFLT_AFTER_COMMAND) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + (fields.length + 2) + " fields");
        }
        return Long.parseLong(fields[MINFLT_AFTER_COMMAND]);
    }
}
