package dev.picsou.mirror.bridge.sim;

import java.util.Locale;
import java.util.Objects;

/**
 * Replica {@code index} of {@code side} crashes at {@code crashAtMs} and restarts at {@code restartAtMs} of
 * simulated time. A crash loses the engine's volatile state, the frames queued on the replica's links and the
 * frames in flight to it; a restarted sender recovers from its persisted QUACK floor (its outbox survives), a
 * restarted receiver from its site's log.
 */
public record CrashRestart(Side side, int index, long crashAtMs, long restartAtMs) {
    public CrashRestart {
        Objects.requireNonNull(side, "side");
        if (index < 0) {
            throw new IllegalArgumentException("restart index must be >= 0, was " + index);
        }
        if (crashAtMs < 0) {
            throw new IllegalArgumentException("crash time must be >= 0 ms, was " + crashAtMs);
        }
        if (restartAtMs <= crashAtMs) {
            throw new IllegalArgumentException("restart time must be after the crash time, was " + crashAtMs
                    + " then " + restartAtMs);
        }
    }

    /** Parses {@code SIDE:INDEX:CRASH_MS:RESTART_MS} with SIDE {@code sender} or {@code receiver}. */
    public static CrashRestart parse(String text) {
        String[] parts = text.trim().split(":");
        if (parts.length != 4) {
            throw new IllegalArgumentException("restart must be SIDE:INDEX:CRASH_MS:RESTART_MS, was '" + text + "'");
        }
        Side side = switch (parts[0].trim().toLowerCase(Locale.ROOT)) {
            case "sender", "s" -> Side.SENDER;
            case "receiver", "r" -> Side.RECEIVER;
            default -> throw new IllegalArgumentException("restart SIDE must be sender or receiver, was '"
                    + parts[0] + "'");
        };
        try {
            return new CrashRestart(side, Integer.parseInt(parts[1].trim()), Long.parseLong(parts[2].trim()),
                    Long.parseLong(parts[3].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("restart must be SIDE:INDEX:CRASH_MS:RESTART_MS with whole numbers, was '"
                    + text + "'", e);
        }
    }

    @Override
    public String toString() {
        return side.name().toLowerCase(Locale.ROOT) + ":" + index + ":" + crashAtMs + ":" + restartAtMs;
    }
}
