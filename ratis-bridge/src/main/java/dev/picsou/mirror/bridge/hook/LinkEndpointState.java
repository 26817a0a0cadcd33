package dev.picsou.mirror.bridge.hook;

/** Lifecycle of one link endpoint (a {@link PrimaryLink} or a {@link MirrorLink}) on one replica. */
public enum LinkEndpointState {
    /** Built; transport and driver not started yet. */
    NEW,
    /** Started; waiting for the local state machine to open its store (Ratis {@code initialize}). */
    WAITING_FOR_STORE,
    /** Engine attached to the store: sending (primary) or receiving (mirror). */
    RUNNING,
    /** The mirror runs a newer epoch and refused our frames: this sender stopped for good (fork point logged). */
    FENCED,
    /** Closed; nothing runs any more. */
    CLOSED
}
