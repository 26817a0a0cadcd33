package dev.picsou.mirror.bridge.hook;

/**
 * How much the primary's outbox — the entries the mirror has not QUACKed yet, kept on disk through any partition —
 * may hold. Past {@code alarmFraction} of the cap the link raises an alarm (status, metric, log); at the cap the
 * primary's leader refuses new client writes until the mirror catches up, so that a long partition cannot fill the
 * disk. Entries already committed are never dropped.
 *
 * @param capBytes      payload bytes of un-QUACKed entries at which writes are refused
 * @param alarmFraction fraction of the cap at which the alarm goes on, in (0, 1]
 */
public record OutboxLimit(long capBytes, double alarmFraction) {
    /** No cap. */
    public static final OutboxLimit NONE = new OutboxLimit(Long.MAX_VALUE, 1.0);

    public OutboxLimit {
        if (capBytes < 1) {
            throw new IllegalArgumentException("capBytes must be >= 1, was " + capBytes);
        }
        if (!(alarmFraction > 0 && alarmFraction <= 1)) {
            throw new IllegalArgumentException("alarmFraction must be in (0, 1], was " + alarmFraction);
        }
    }

    /** Whether {@code outboxBytes} is at or past the alarm threshold. */
    public boolean alarm(long outboxBytes) {
        return capBytes != Long.MAX_VALUE && outboxBytes >= (long) (capBytes * alarmFraction);
    }

    /** Whether {@code outboxBytes} reached the cap: new writes are refused. */
    public boolean full(long outboxBytes) {
        return outboxBytes >= capBytes;
    }
}
