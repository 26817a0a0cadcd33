package dev.picsou.mirror.config;

import java.util.Locale;

/** When a client write on a site completes (DESIGN.md §4). */
public enum DurabilityMode {
    /** When the primary commits it; the mirror may lag (RPO = entries not yet QUACKed). */
    ASYNC,
    /** Only when the mirror site has QUACKed it (RPO = 0, one WAN round trip per batch). */
    SYNC;

    /** The name used in the file, e.g. {@code async}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
