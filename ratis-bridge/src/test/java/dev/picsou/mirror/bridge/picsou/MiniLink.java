package dev.picsou.mirror.bridge.picsou;

import static dev.picsou.mirror.bridge.picsou.CoreFixtures.MS;

import dev.picsou.mirror.bridge.model.AckFrame;
import dev.picsou.mirror.bridge.model.DataFrame;
import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.FencedFrame;
import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.model.Mac;
import dev.picsou.mirror.bridge.model.PhiList;
import dev.picsou.mirror.bridge.model.SentEntry;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A small deterministic world for core tests that need many rounds of acks: real {@link PicsouSender}s, a
 * receiving site reduced to the set of entries it holds (every receiver reports what any of them got, at once),
 * a one-way delay, no bandwidth limit, and a manual clock stepped one millisecond at a time. The source commits
 * one entry per millisecond. Senders can be crashed and restarted, and the acks to one sender can be slowed.
 */
final class MiniLink {
    /** One transmission of one entry, as a sender put it on the wire. */
    record Transmission(long atNanos, int sender, int receiver, long seq, int attempt) {
    }

    private record InFlight(long atNanos, long order, int toSender, Frame frame) {
    }

    final PicsouParams params;
    final PicsouSender[] senders;
    final BitSet held = new BitSet();
    final List<Transmission> transmissions = new ArrayList<>();
    private final long[] deadline;
    private final long[] ackDelayNanos;
    private final long[] quackAtCrash;
    private final PriorityQueue<InFlight> inFlight = new PriorityQueue<>(
            (a, b) -> a.atNanos != b.atNanos ? Long.compare(a.atNanos, b.atNanos) : Long.compare(a.order, b.order));
    private final long oneWayNanos;
    private long order;
    private long now;
    private long committed;
    private final int entries;

    MiniLink(PicsouParams params, int entries, long oneWayNanos) {
        this.params = params;
        this.entries = entries;
        this.oneWayNanos = oneWayNanos;
        this.senders = new PicsouSender[params.senders()];
        this.deadline = new long[params.senders()];
        this.ackDelayNanos = new long[params.senders()];
        this.quackAtCrash = new long[params.senders()];
        for (int i = 0; i < senders.length; i++) {
            senders[i] = new PicsouSender(i, params, 0);
            ackDelayNanos[i] = oneWayNanos;
        }
    }

    long now() {
        return now;
    }

    void crash(int sender) {
        quackAtCrash[sender] = senders[sender].quackedSeq();
        senders[sender] = null;
    }

    /** Restarts {@code sender} from the QUACK it had persisted when it crashed, fed every committed entry above it. */
    void restart(int sender) {
        PicsouSender s = new PicsouSender(sender, params, quackAtCrash[sender]);
        senders[sender] = s;
        for (long seq = quackAtCrash[sender] + 1; seq <= committed; seq++) {
            deadline[sender] = s.onEntryCommitted(CoreFixtures.entry(seq), now, sink(sender));
        }
    }

    /** Acks reach {@code sender} this long after they leave (instead of the one-way delay). */
    void slowAcksTo(int sender, long delayNanos) {
        ackDelayNanos[sender] = delayNanos;
    }

    /** Runs the world until {@code untilNanos}. */
    void runUntil(long untilNanos) {
        while (now < untilNanos) {
            now += MS;
            deliver();
            if (committed < entries) {
                committed++;
                Entry e = CoreFixtures.entry(committed);
                for (int i = 0; i < senders.length; i++) {
                    if (senders[i] != null) {
                        deadline[i] = senders[i].onEntryCommitted(e, now, sink(i));
                    }
                }
            }
            for (int i = 0; i < senders.length; i++) {
                if (senders[i] != null && deadline[i] <= now) {
                    deadline[i] = senders[i].onTick(now, sink(i));
                }
            }
            if (now % params.ackIntervalNanos() == 0) {
                sendAcks();
            }
        }
    }

    /** Transmissions of entry {@code seq}, in order. */
    List<Transmission> of(long seq) {
        return transmissions.stream().filter(t -> t.seq() == seq).toList();
    }

    /** Whether the site holds every entry up to {@code seq}. */
    boolean holdsThrough(long seq) {
        return held.nextClearBit(1) > seq;
    }

    private void deliver() {
        while (!inFlight.isEmpty() && inFlight.peek().atNanos() <= now) {
            InFlight f = inFlight.poll();
            if (f.frame() instanceof DataFrame d) {
                for (SentEntry e : d.entries()) {
                    held.set((int) e.entry().seq());
                }
            } else if (senders[f.toSender()] != null) {
                int i = f.toSender();
                deadline[i] = senders[i].onFrame(f.frame(), now, sink(i));
            }
        }
    }

    private void sendAcks() {
        long received = held.nextClearBit(1) - 1L;
        BitSet bits = new BitSet();
        for (int s = held.nextSetBit((int) received + 2); s >= 0; s = held.nextSetBit(s + 1)) {
            bits.set((int) (s - received - 2));
        }
        PhiList phi = PhiList.of(bits, params.phiBits());
        for (int j = 0; j < params.receivers(); j++) {
            for (int i = 0; i < senders.length; i++) {
                AckFrame ack = new AckFrame(params.linkId(), params.epoch(), j, i, received, received, phi, Mac.NONE);
                inFlight.add(new InFlight(now + ackDelayNanos[i], order++, i, ack));
            }
        }
    }

    private ActionSink sink(int sender) {
        return new ActionSink() {
            @Override
            public boolean send(int peer, Frame frame) {
                if (frame instanceof DataFrame d) {
                    for (SentEntry e : d.entries()) {
                        transmissions.add(new Transmission(now, sender, peer, e.entry().seq(), e.attempt()));
                    }
                    inFlight.add(new InFlight(now + oneWayNanos, order++, -1, frame));
                }
                return true;
            }

            @Override
            public void deliver(Entry entry) {
            }

            @Override
            public void quacked(long seq) {
            }

            @Override
            public void fenced(FencedFrame refusal) {
            }

            @Override
            public void refused(int peer, String reason) {
                throw new AssertionError("sender " + sender + " refused a frame: " + reason);
            }
        };
    }
}
