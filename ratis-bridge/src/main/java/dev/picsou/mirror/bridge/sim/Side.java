package dev.picsou.mirror.bridge.sim;

/** Which site of the simulated link a replica belongs to. */
public enum Side {
    /** The primary site, whose replicas run {@code StreamSender} engines. */
    SENDER,
    /** The mirror site, whose replicas run {@code StreamReceiver} engines. */
    RECEIVER
}
