package dev.picsou.mirror.bridge.sim;

import dev.picsou.mirror.bridge.picsou.StreamReceiver;
import dev.picsou.mirror.bridge.picsou.StreamSender;

import java.util.Arrays;

/** One simulated replica: its engine (while alive), its links' serialisation state and its timers. */
final class SimNode {
    final Side side;
    final int index;
    final int stake;
    final boolean byzantine;
    final boolean crashedForever;
    /** Senders only: how long after the site's commit this replica applies an entry. */
    final long skewNanos;
    final NodeSink sink;

    boolean alive;
    /** Bumped at every crash, so frames and timers of an older life are recognised. */
    int incarnation;
    private long[] crashNanos = new long[2];

    StreamSender sender;
    StreamReceiver receiver;

    long tickAt = Long.MAX_VALUE;
    long tickVersion;
    int ticksAtSameInstant;
    long lastTickNanos = -1;

    /** When the uplink / downlink finishes serialising everything queued on it. */
    long upFreeNanos;
    long downFreeNanos;
    boolean writable = true;
    long drainVersion;

    /** Senders only: highest seq the engine reported QUACKed (its persisted floor) and highest seq fed to it. */
    long quackFloor;
    long fedSeq;

    SimNode(SimRun run, Side side, int index, int stake, boolean byzantine, boolean crashedForever, long skewNanos) {
        this.side = side;
        this.index = index;
        this.stake = stake;
        this.byzantine = byzantine;
        this.crashedForever = crashedForever;
        this.skewNanos = skewNanos;
        this.sink = new NodeSink(run, this);
    }

    void recordCrash(long nowNanos) {
        if (incarnation == crashNanos.length) {
            crashNanos = Arrays.copyOf(crashNanos, incarnation * 2);
        }
        crashNanos[incarnation] = nowNanos;
        incarnation++;
    }

    /** When the life {@code oldIncarnation} ended by a crash; only for {@code oldIncarnation < incarnation}. */
    long crashNanosOf(int oldIncarnation) {
        return crashNanos[oldIncarnation];
    }

    @Override
    public String toString() {
        return (side == Side.SENDER ? "sender " : "receiver ") + index;
    }
}
