package dev.picsou.mirror.bridge.baseline;

import dev.picsou.mirror.bridge.model.AckFrame;
import dev.picsou.mirror.bridge.model.DataFrame;
import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.model.Mac;
import dev.picsou.mirror.bridge.model.PhiList;
import dev.picsou.mirror.bridge.model.SentEntry;
import dev.picsou.mirror.bridge.picsou.ActionSink;
import dev.picsou.mirror.bridge.picsou.PicsouParams;
import dev.picsou.mirror.bridge.picsou.StreamReceiver;
import java.util.BitSet;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The receiving endpoint shared by every baseline: validates data frames, delivers each new valid entry to the local
 * site exactly once, and acknowledges cumulatively.
 *
 * <p>Holding: this replica holds {@code seq} once it delivered it or its site committed it; held entries are never
 * delivered again, whoever resends them. {@code received} is the held prefix and {@code durable} what the site
 * reported with {@link #onDurable} (which also counts as held).
 *
 * <p>Acks ({@link AckTargets}) carry {@code received}, {@code durable} and a φ-list of up to
 * {@code params.phiBits()} entries. An ack goes out at most every {@code ackIntervalNanos} while there is news (the
 * prefixes moved, or a data frame arrived, since a sender that resends has evidently missed our last ack), and at
 * once when {@code durable} moved by {@code ackEveryEntries}. Without news the last ack is repeated with exponential
 * backoff from {@code 2 * ackIntervalNanos} up to {@code maxRetransmitTimeoutNanos}, so a lost final ack (or a
 * healed partition) cannot stall the senders' QUACKs forever: once a replica has acked, its deadline is therefore
 * never {@link Long#MAX_VALUE}.
 *
 * <p>Single-threaded and deterministic, like every engine.
 */
final class CumulativeReceiver implements StreamReceiver {

    /** Which sending replicas the acks go to. */
    enum AckTargets {
        /** Every sending replica (all-to-all). */
        ALL_SENDERS,
        /** The current leader of the sending site (leader-based baselines). */
        SENDER_LEADER,
        /** Nobody: the protocol runs without acks (one-shot). */
        NONE
    }

    private final int index;
    private final PicsouParams params;
    private final LinkGuard guard;
    private final AckTargets targets;
    private int senderLeader;

    private long received;
    private final NavigableSet<Long> heldAbove = new TreeSet<>();
    private long durable;

    private boolean news;
    private boolean everAcked;
    private long lastAckNanos;
    private long ackedDurable;
    private long quietDelayNanos;
    private long ackAtNanos = Long.MAX_VALUE;

    CumulativeReceiver(int index, PicsouParams params, AckTargets targets) {
        this.guard = LinkGuard.atReceiver(params, index);
        this.index = index;
        this.params = params;
        this.targets = targets;
        this.senderLeader = params.senderLeader();
    }

    @Override
    public long onFrame(Frame frame, long nowNanos, ActionSink out) {
        DataFrame data = guard.acceptData(frame, out);
        if (data != null) {
            for (SentEntry sent : data.entries()) {
                accept(sent.entry(), data.from(), out);
            }
            noteNews(nowNanos);
        }
        return maybeAck(nowNanos, out);
    }

    @Override
    public long onSiteCommitted(long seq, long nowNanos, ActionSink out) {
        if (!holds(seq)) {
            hold(seq);
            noteNews(nowNanos);
        }
        return maybeAck(nowNanos, out);
    }

    @Override
    public long onDurable(long durableSeq, long nowNanos, ActionSink out) {
        if (durableSeq > durable) {
            durable = durableSeq;
            holdPrefix(durableSeq);
            noteNews(nowNanos);
        }
        return maybeAck(nowNanos, out);
    }

    @Override
    public long onLeaderChanged(int newSenderLeader, int newReceiverLeader, long nowNanos, ActionSink out) {
        if (Objects.checkIndex(newSenderLeader, params.senders()) != senderLeader) {
            senderLeader = newSenderLeader;
            if (targets == AckTargets.SENDER_LEADER) {
                noteNews(nowNanos);
            }
        }
        return maybeAck(nowNanos, out);
    }

    @Override
    public long onTick(long nowNanos, ActionSink out) {
        return maybeAck(nowNanos, out);
    }

    @Override
    public long receivedSeq() {
        return received;
    }

    @Override
    public long durableSeq() {
        return durable;
    }

    private void accept(Entry entry, int from, ActionSink out) {
        if (!entry.checksumValid()) {
            out.refused(from, "entry " + entry.seq() + " fails its CRC32C check");
            return;
        }
        if (!holds(entry.seq())) {
            hold(entry.seq());
            out.deliver(entry);
        }
    }

    private boolean holds(long seq) {
        return seq <= received || heldAbove.contains(seq);
    }

    private void hold(long seq) {
        if (seq == received + 1) {
            received = seq;
            advanceReceived();
        } else {
            heldAbove.add(seq);
        }
    }

    private void holdPrefix(long seq) {
        if (seq > received) {
            received = seq;
            heldAbove.headSet(seq, true).clear();
            advanceReceived();
        }
    }

    private void advanceReceived() {
        while (!heldAbove.isEmpty() && heldAbove.first() == received + 1) {
            received = heldAbove.pollFirst();
        }
    }

    private void noteNews(long nowNanos) {
        news = true;
        long earliest = everAcked ? Math.max(nowNanos, lastAckNanos + params.ackIntervalNanos()) : nowNanos;
        ackAtNanos = Math.min(ackAtNanos, earliest);
    }

    private long maybeAck(long nowNanos, ActionSink out) {
        if (targets == AckTargets.NONE) {
            return Long.MAX_VALUE;
        }
        boolean durableJump = durable - ackedDurable >= params.ackEveryEntries();
        if (durableJump || nowNanos >= ackAtNanos) {
            sendAcks(nowNanos, out);
        }
        return ackAtNanos;
    }

    private void sendAcks(long nowNanos, ActionSink out) {
        PhiList phi = phiList();
        if (targets == AckTargets.ALL_SENDERS) {
            for (int s = 0; s < params.senders(); s++) {
                out.send(s, ackTo(s, phi));
            }
        } else {
            out.send(senderLeader, ackTo(senderLeader, phi));
        }
        quietDelayNanos = news ? 2 * params.ackIntervalNanos()
                : Math.min(2 * quietDelayNanos, params.maxRetransmitTimeoutNanos());
        news = false;
        everAcked = true;
        lastAckNanos = nowNanos;
        ackedDurable = durable;
        ackAtNanos = nowNanos + quietDelayNanos;
    }

    private AckFrame ackTo(int sender, PhiList phi) {
        return guard.sign(new AckFrame(params.linkId(), params.epoch(), index, sender, received, durable, phi,
                Mac.NONE));
    }

    /** Bit {@code i} set when this replica holds {@code received + 2 + i}; as short as the highest held bit. */
    private PhiList phiList() {
        long first = received + 2;
        NavigableSet<Long> window = heldAbove.subSet(first, true, first + params.phiBits(), false);
        if (window.isEmpty()) {
            return PhiList.EMPTY;
        }
        BitSet bits = new BitSet();
        for (long seq : window) {
            bits.set((int) (seq - first));
        }
        return PhiList.of(bits, bits.length());
    }
}
