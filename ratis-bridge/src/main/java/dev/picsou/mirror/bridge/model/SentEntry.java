package dev.picsou.mirror.bridge.model;

import java.util.Objects;

/**
 * One transmission of an entry: attempt 0 is the original send by its scheduled sender, attempt {@code i >= 1}
 * the i-th resend (PICSOU.md, "Who resends").
 */
public record SentEntry(Entry entry, int attempt) {
    public SentEntry {
        Objects.requireNonNull(entry, "entry");
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be >= 0, was " + attempt);
        }
    }
}
