package dev.picsou.mirror.config;

import java.util.Locale;

/** The role a site starts in ({@code role:} in the file); roles change later only by switchover or failover. */
public enum SiteRole {
    /** Takes client writes and sends the stream. */
    PRIMARY,
    /** Receives the stream and serves reads and snapshots. */
    MIRROR;

    /** The name used in the file, e.g. {@code primary}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
