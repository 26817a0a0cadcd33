package dev.picsou.mirror.config;

import java.time.Duration;
import java.util.Objects;

/**
 * When a site's client writes complete (DESIGN.md §4).
 *
 * @param mode        {@code async} (default) or {@code sync}
 * @param syncTimeout in sync mode, how long a write may wait for the mirror's QUACK before {@code onTimeout}
 * @param onTimeout   what happens then: degrade to async with an alarm (default), or keep blocking
 */
public record DurabilityConfig(DurabilityMode mode, Duration syncTimeout, SyncTimeoutAction onTimeout) {
    /** Async; 30s and degrade if the site is switched to sync. */
    public static final DurabilityConfig DEFAULT =
            new DurabilityConfig(DurabilityMode.ASYNC, Duration.ofSeconds(30), SyncTimeoutAction.DEGRADE);

    public DurabilityConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(syncTimeout, "syncTimeout");
        Objects.requireNonNull(onTimeout, "onTimeout");
    }
}
