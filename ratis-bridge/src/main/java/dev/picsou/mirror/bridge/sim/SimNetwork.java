package dev.picsou.mirror.bridge.sim;

import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.picsou.PicsouParams;

import java.util.SplittableRandom;

/**
 * The WAN between the sites. A frame of {@code b} bytes (its exact encoded size) first waits for and occupies its
 * sender's uplink for {@code b * 8 / rate}, then travels the one-way delay plus a uniform jitter, then waits for
 * and occupies the receiver's downlink for the same time, and is handed to the receiver's engine when the downlink
 * finishes. Every replica has one uplink and one downlink of {@code uplinkMbps}, shared by all its peers, each a
 * FIFO.
 *
 * <p>Faults, per frame: lost with probability {@code loss} (after using the uplink); delivered twice with
 * probability {@code duplicate} (each copy with its own jitter); dropped when its time on the wire overlaps a
 * partition; lost when its sender crashes before the frame left the uplink, or its receiver is down when it
 * arrives or crashes while it waits in the downlink.
 *
 * <p>Backpressure (senders only): a sender's links are reported not writable once its uplink holds more than the
 * high-water mark, {@code max(2 * batchMaxBytes, 1 ms of bandwidth)}, and writable again once it drained to half
 * of it. All links of a replica share its uplink, so they change state together.
 */
final class SimNetwork {
    static final int ARRIVE = 10;
    static final int HAND_OVER = 11;

    private final SimRun run;
    private final double nanosPerByte;
    private final long delayNanos;
    private final long jitterNanos;
    private final double loss;
    private final double duplicate;
    private final long[] partitionStart;
    private final long[] partitionEnd;
    private final SplittableRandom random;
    final long highWaterNanos;
    final long lowWaterNanos;

    long framesSent;
    long bytesSent;
    long framesDropped;

    SimNetwork(SimRun run, SimConfig config, PicsouParams params, SplittableRandom random) {
        this.run = run;
        this.nanosPerByte = 8000.0 / config.uplinkMbps();
        this.delayNanos = Math.round(config.oneWayDelayMs() * 1e6);
        this.jitterNanos = Math.round(config.jitterMs() * 1e6);
        this.loss = config.loss();
        this.duplicate = config.duplicate();
        int p = config.partitions().size();
        this.partitionStart = new long[p];
        this.partitionEnd = new long[p];
        for (int i = 0; i < p; i++) {
            partitionStart[i] = config.partitions().get(i).startMs() * 1_000_000L;
            partitionEnd[i] = config.partitions().get(i).endMs() * 1_000_000L;
        }
        this.random = random;
        this.highWaterNanos = Math.max(txNanos(2L * params.batchMaxBytes()), 1_000_000L);
        this.lowWaterNanos = highWaterNanos / 2;
    }

    long txNanos(long bytes) {
        return (long) Math.ceil(bytes * nanosPerByte);
    }

    /** Puts {@code frame} ({@code bytes} on the wire) on {@code src}'s uplink towards {@code dst}. */
    void send(SimNode src, SimNode dst, Frame frame, int bytes) {
        long now = run.now();
        framesSent++;
        bytesSent += bytes;
        long tx = txNanos(bytes);
        src.upFreeNanos = Math.max(now, src.upFreeNanos) + tx;
        long leave = src.upFreeNanos;
        if (loss > 0 && random.nextDouble() < loss) {
            framesDropped++;
            return;
        }
        int copies = duplicate > 0 && random.nextDouble() < duplicate ? 2 : 1;
        for (int c = 0; c < copies; c++) {
            long arrive = leave + delayNanos + (jitterNanos > 0 ? random.nextLong(jitterNanos + 1) : 0);
            if (partitioned(leave, arrive)) {
                framesDropped++;
                continue;
            }
            run.schedule(arrive, ARRIVE, dst, 0, new InFlight(frame, src, src.incarnation, leave, tx));
        }
    }

    /** The frame reached {@code dst}'s downlink. */
    void onArrive(SimNode dst, InFlight f) {
        SimNode src = f.src;
        if (src.incarnation != f.srcIncarnation && src.crashNanosOf(f.srcIncarnation) < f.leaveNanos) {
            framesDropped++; // the sender crashed while the frame still waited in its uplink
            return;
        }
        if (!dst.alive) {
            framesDropped++;
            return;
        }
        dst.downFreeNanos = Math.max(run.now(), dst.downFreeNanos) + f.txNanos;
        f.dstIncarnation = dst.incarnation;
        run.schedule(dst.downFreeNanos, HAND_OVER, dst, 0, f);
    }

    /** The frame left {@code dst}'s downlink; returns it, or null when {@code dst} crashed meanwhile. */
    Frame onHandOver(SimNode dst, InFlight f) {
        if (!dst.alive || dst.incarnation != f.dstIncarnation) {
            framesDropped++;
            return null;
        }
        return f.frame;
    }

    /** A crash empties the replica's link queues. */
    void onCrash(SimNode node) {
        node.upFreeNanos = run.now();
        node.downFreeNanos = run.now();
    }

    private boolean partitioned(long leave, long arrive) {
        for (int i = 0; i < partitionStart.length; i++) {
            if (leave < partitionEnd[i] && arrive >= partitionStart[i]) {
                return true;
            }
        }
        return false;
    }

    /** A frame on its way. */
    static final class InFlight {
        final Frame frame;
        final SimNode src;
        final int srcIncarnation;
        final long leaveNanos;
        final long txNanos;
        int dstIncarnation;

        InFlight(Frame frame, SimNode src, int srcIncarnation, long leaveNanos, long txNanos) {
            this.frame = frame;
            this.src = src;
            this.srcIncarnation = srcIncarnation;
            this.leaveNanos = leaveNanos;
            this.txNanos = txNanos;
        }
    }
}
