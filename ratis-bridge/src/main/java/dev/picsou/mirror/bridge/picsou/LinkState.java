package dev.picsou.mirror.bridge.picsou;

/** Lifecycle of one sending endpoint. */
public enum LinkState {
    /** Restarted with entries that may already be on the receiving site: own-share sends wait for the first ack. */
    RECOVERING,
    /** Sending its share, resending lost entries. */
    STREAMING,
    /** The receiving site runs a newer epoch; nothing more is sent on this link. */
    FENCED
}
