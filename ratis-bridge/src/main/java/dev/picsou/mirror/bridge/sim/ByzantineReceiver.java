package dev.picsou.mirror.bridge.sim;

import dev.picsou.mirror.bridge.model.AckFrame;
import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.FencedFrame;
import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.model.Mac;
import dev.picsou.mirror.bridge.model.PhiList;
import dev.picsou.mirror.bridge.picsou.ActionSink;
import dev.picsou.mirror.bridge.picsou.PicsouParams;
import dev.picsou.mirror.bridge.picsou.StreamReceiver;
import dev.picsou.mirror.bridge.wire.FrameAuthenticator;

import java.util.BitSet;

/**
 * A Byzantine receiving replica: the real engine, wrapped so that its actions are twisted per {@link ByzantineMode}.
 * It re-signs what it rewrites with the link secret, as a real Byzantine replica holding its own pair keys could.
 * Deterministic: the entries {@link ByzantineMode#DROP_SELECTIVE} drops are a function of the seed, the replica
 * and the {@code seq}.
 */
final class ByzantineReceiver implements StreamReceiver {
    private final StreamReceiver inner;
    private final ByzantineMode mode;
    private final long dropSalt;
    private final long lieSeq;
    private final int phiBits;
    private final FrameAuthenticator authenticator;
    private final Twister twister = new Twister();
    private AckFrame stale;

    ByzantineReceiver(StreamReceiver inner, ByzantineMode mode, int index, PicsouParams params, long seed,
            long lieSeq) {
        this.inner = inner;
        this.mode = mode;
        this.dropSalt = seed * 0x9E3779B97F4A7C15L + index * 0xC2B2AE3D27D4EB4FL;
        this.lieSeq = lieSeq;
        this.phiBits = params.phiBits();
        this.authenticator = params.authenticated()
                ? FrameAuthenticator.fromSecret(params.linkSecret()) : FrameAuthenticator.none();
    }

    @Override
    public long onFrame(Frame frame, long nowNanos, ActionSink out) {
        if (mode == ByzantineMode.DROP_ALL) {
            return Long.MAX_VALUE;
        }
        return inner.onFrame(frame, nowNanos, twister.to(out));
    }

    @Override
    public long onSiteCommitted(long seq, long nowNanos, ActionSink out) {
        if (mode == ByzantineMode.DROP_ALL) {
            return Long.MAX_VALUE;
        }
        return inner.onSiteCommitted(seq, nowNanos, twister.to(out));
    }

    @Override
    public long onDurable(long durableSeq, long nowNanos, ActionSink out) {
        if (mode == ByzantineMode.DROP_ALL) {
            return Long.MAX_VALUE;
        }
        return inner.onDurable(durableSeq, nowNanos, twister.to(out));
    }

    @Override
    public long onLeaderChanged(int senderLeader, int receiverLeader, long nowNanos, ActionSink out) {
        if (mode == ByzantineMode.DROP_ALL) {
            return Long.MAX_VALUE;
        }
        return inner.onLeaderChanged(senderLeader, receiverLeader, nowNanos, twister.to(out));
    }

    @Override
    public long onTick(long nowNanos, ActionSink out) {
        if (mode == ByzantineMode.DROP_ALL) {
            return Long.MAX_VALUE;
        }
        return inner.onTick(nowNanos, twister.to(out));
    }

    @Override
    public long receivedSeq() {
        return inner.receivedSeq();
    }

    @Override
    public long durableSeq() {
        return inner.durableSeq();
    }

    /** Whether DROP_SELECTIVE withholds {@code seq}: a seeded coin per (replica, seq). */
    boolean withholds(long seq) {
        long z = dropSalt + seq * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return ((z ^ (z >>> 31)) & 1) == 0;
    }

    private Frame twistAck(AckFrame ack) {
        switch (mode) {
            case ACK_HIGH:
                return authenticator.sign(new AckFrame(ack.linkId(), ack.epoch(), ack.from(), ack.to(), lieSeq,
                        lieSeq, PhiList.EMPTY, Mac.NONE));
            case ACK_LOW:
                return authenticator.sign(new AckFrame(ack.linkId(), ack.epoch(), ack.from(), ack.to(), 0, 0,
                        PhiList.of(new BitSet(), phiBits), Mac.NONE));
            case ACK_STALE:
                if (stale == null) {
                    if (ack.received() == 0 && ack.durable() == 0) {
                        return ack;
                    }
                    stale = ack;
                }
                return authenticator.sign(new AckFrame(stale.linkId(), stale.epoch(), stale.from(), ack.to(),
                        stale.received(), stale.durable(), stale.phi(), Mac.NONE));
            default:
                return ack;
        }
    }

    /** The sink the inner engine writes to; forwards to the driver's sink, twisted. */
    private final class Twister implements ActionSink {
        private ActionSink target;

        Twister to(ActionSink out) {
            target = out;
            return this;
        }

        @Override
        public boolean send(int peer, Frame frame) {
            return target.send(peer, frame instanceof AckFrame ack ? twistAck(ack) : frame);
        }

        @Override
        public void deliver(Entry entry) {
            if (mode == ByzantineMode.DROP_SELECTIVE && withholds(entry.seq())) {
                return;
            }
            target.deliver(entry);
        }

        @Override
        public void quacked(long seq) {
            target.quacked(seq);
        }

        @Override
        public void fenced(FencedFrame refusal) {
            target.fenced(refusal);
        }

        @Override
        public void refused(int peer, String reason) {
            target.refused(peer, reason);
        }
    }
}
