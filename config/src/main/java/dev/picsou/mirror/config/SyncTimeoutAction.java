package dev.picsou.mirror.config;

import java.util.Locale;

/** What a {@link DurabilityMode#SYNC} site does when the mirror has not QUACKed within the sync timeout. */
public enum SyncTimeoutAction {
    /** Keep client writes waiting until the mirror answers (strict RPO = 0). */
    KEEP_BLOCKING,
    /** Fall back to async with an alarm, and return to sync once the mirror has caught up. */
    DEGRADE;

    /** The name used in the file, e.g. {@code keep-blocking}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
