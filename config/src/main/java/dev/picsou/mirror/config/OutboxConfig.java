package dev.picsou.mirror.config;

/**
 * The primary's on-disk outbox of entries not yet QUACKed ({@code outbox:} in the file).
 *
 * @param diskCapBytes  the outbox may hold at most this many bytes
 * @param alarmFraction an alarm is raised when the outbox reaches this fraction of the cap, in (0, 1]
 */
public record OutboxConfig(long diskCapBytes, double alarmFraction) {
    /** 1GiB, alarm at 80%. */
    public static final OutboxConfig DEFAULT = new OutboxConfig(1L << 30, 0.8);
}
