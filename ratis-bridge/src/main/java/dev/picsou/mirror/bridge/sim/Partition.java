package dev.picsou.mirror.bridge.sim;

/**
 * A window {@code [startMs, endMs)} of simulated time during which the two sites cannot talk: every cross-site
 * frame whose time on the wire (from leaving the sender's uplink to reaching the receiver's downlink) overlaps the
 * window is dropped, in both directions.
 */
public record Partition(long startMs, long endMs) {
    public Partition {
        if (startMs < 0) {
            throw new IllegalArgumentException("partition start must be >= 0 ms, was " + startMs);
        }
        if (endMs <= startMs) {
            throw new IllegalArgumentException("partition end must be after its start, was " + startMs + ":" + endMs);
        }
    }

    /** Parses {@code START_MS:END_MS}. */
    public static Partition parse(String text) {
        String[] parts = text.trim().split(":");
        if (parts.length != 2) {
            throw new IllegalArgumentException("partition must be START_MS:END_MS, was '" + text + "'");
        }
        try {
            return new Partition(Long.parseLong(parts[0].trim()), Long.parseLong(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("partition must be START_MS:END_MS with whole milliseconds, was '"
                    + text + "'", e);
        }
    }

    @Override
    public String toString() {
        return startMs + ":" + endMs;
    }
}
