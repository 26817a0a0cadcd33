package dev.picsou.mirror.bridge.picsou;

import dev.picsou.mirror.bridge.model.AckFrame;
import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.Mac;
import dev.picsou.mirror.bridge.model.PhiList;
import dev.picsou.mirror.bridge.wire.FrameAuthenticator;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;

/** Small builders shared by the core tests. */
final class CoreFixtures {
    static final long MS = 1_000_000L;
    static final byte[] SECRET = "a link secret of enough length".getBytes(StandardCharsets.UTF_8);

    private CoreFixtures() {
    }

    /** The paper's worked-example setting: 4 + 4 replicas, u = r = 1 on both sides. */
    static PicsouParams bft4x4() {
        return PicsouParams.builder(4, 4).senderFaults(1, 1).receiverFaults(1, 1).linkSecret(SECRET)
                .batchDelayNanos(0).reorderGraceNanos(3 * MS).build();
    }

    /**
     * What a driver does after handing an engine an event: it ticks the engine while the deadline it returned has
     * come (partial batches leave at a tick). Returns the deadline after that.
     */
    static long settle(StreamSender engine, long deadline, long nowNanos, ActionSink out) {
        for (int ticks = 0; deadline <= nowNanos; ticks++) {
            if (ticks == 100) {
                throw new AssertionError("the engine keeps asking for a tick at " + nowNanos);
            }
            deadline = engine.onTick(nowNanos, out);
        }
        return deadline;
    }

    static Entry entry(long seq) {
        return Entry.of(1, seq, 1, seq * 2, ("value-" + seq).getBytes(StandardCharsets.UTF_8));
    }

    /** An ack from {@code receiver} to {@code sender} holding the prefix and the listed later entries. */
    static AckFrame ack(PicsouParams p, int receiver, int sender, long received, long durable, long... alsoHeld) {
        BitSet bits = new BitSet();
        for (long s : alsoHeld) {
            bits.set((int) (s - received - 2));
        }
        AckFrame ack = new AckFrame(p.linkId(), p.epoch(), receiver, sender, received, durable,
                PhiList.of(bits, p.phiBits()), Mac.NONE);
        return p.authenticated() ? FrameAuthenticator.fromSecret(p.linkSecret()).sign(ack) : ack;
    }
}
