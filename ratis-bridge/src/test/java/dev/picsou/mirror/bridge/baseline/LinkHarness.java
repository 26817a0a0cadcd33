package dev.picsou.mirror.bridge.baseline;

import dev.picsou.mirror.bridge.model.DataFrame;
import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.FencedFrame;
import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.model.SentEntry;
import dev.picsou.mirror.bridge.picsou.ActionSink;
import dev.picsou.mirror.bridge.picsou.PicsouParams;
import dev.picsou.mirror.bridge.picsou.StreamProtocol;
import dev.picsou.mirror.bridge.picsou.StreamReceiver;
import dev.picsou.mirror.bridge.picsou.StreamSender;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * A tiny deterministic driver for one link: every sender and receiver endpoint of {@code protocol}, a network with a
 * fixed one-way delay and a drop rule, a manual clock, and a receiving site that commits whatever a receiver
 * delivers (after {@code siteDelayNanos}) and reports the durable prefix to every live receiver. Records every frame
 * sent, every delivery, QUACK and refusal.
 *
 * <p>It enforces the engine contract: a frame's addressee matches the {@code send} peer, and no deadline an engine
 * returns lies at or before the current time.
 */
final class LinkHarness {
    private static final long STEP_LIMIT = 5_000_000;

    /** A frame handed to the network, and whether the network dropped it. */
    record Sent(long atNanos, boolean toReceivingSite, int from, int to, Frame frame, boolean dropped) {
    }

    private record Event(long atNanos, long order, Runnable action) {
    }

    final PicsouParams params;
    final StreamSender[] senders;
    final StreamReceiver[] receivers;
    private final long[] senderDeadline;
    private final long[] receiverDeadline;
    final boolean[] senderDown;
    final boolean[] receiverDown;
    private final PriorityQueue<Event> events = new PriorityQueue<>(
            Comparator.comparingLong(Event::atNanos).thenComparingLong(Event::order));
    private long order;
    long now;
    long networkDelayNanos;
    long siteDelayNanos;
    Predicate<Sent> drop = s -> false;

    final List<Sent> sent = new ArrayList<>();
    final Map<Integer, List<Long>> deliveredBy = new HashMap<>();
    final TreeSet<Long> siteLog = new TreeSet<>();
    long siteDurable;
    final List<List<Long>> quacksBy = new ArrayList<>();
    final List<String> refusals = new ArrayList<>();
    final List<FencedFrame> fences = new ArrayList<>();
    private long lastSeq;

    LinkHarness(StreamProtocol protocol, PicsouParams params) {
        this.params = params;
        senders = new StreamSender[params.senders()];
        receivers = new StreamReceiver[params.receivers()];
        senderDeadline = new long[params.senders()];
        receiverDeadline = new long[params.receivers()];
        senderDown = new boolean[params.senders()];
        receiverDown = new boolean[params.receivers()];
        Arrays.fill(senderDeadline, Long.MAX_VALUE);
        Arrays.fill(receiverDeadline, Long.MAX_VALUE);
        for (int i = 0; i < senders.length; i++) {
            senders[i] = protocol.newSender(i, params, 0);
            quacksBy.add(new ArrayList<>());
        }
        for (int j = 0; j < receivers.length; j++) {
            receivers[j] = protocol.newReceiver(j, params);
            deliveredBy.put(j, new ArrayList<>());
        }
    }

    /** Commits {@code count} entries of {@code payloadBytes} each on every live sender, now. */
    LinkHarness commit(int count, int payloadBytes) {
        for (int k = 0; k < count; k++) {
            long seq = ++lastSeq;
            byte[] payload = new byte[payloadBytes];
            Arrays.fill(payload, (byte) seq);
            Entry entry = Entry.of(params.epoch(), seq, 1, 2 * seq, payload);
            forEachLiveSender(i -> senderDeadline[i] = checked(
                    senders[i].onEntryCommitted(entry, now, senderSink(i))));
        }
        return this;
    }

    /** Tells sender {@code i} that its link to receiver {@code j} is (not) writable, as a transport would. */
    LinkHarness linkWritable(int i, int j, boolean writable) {
        senderDeadline[i] = checked(senders[i].onLinkWritable(j, writable, now, senderSink(i)));
        return this;
    }

    /** Tells every live endpoint about new leaders. */
    LinkHarness changeLeaders(int senderLeader, int receiverLeader) {
        forEachLiveSender(i -> senderDeadline[i] =
                checked(senders[i].onLeaderChanged(senderLeader, receiverLeader, now, senderSink(i))));
        forEachLiveReceiver(j -> receiverDeadline[j] =
                checked(receivers[j].onLeaderChanged(senderLeader, receiverLeader, now, receiverSink(j))));
        return this;
    }

    /** Runs every event and timer up to and including {@code untilNanos}, then sets the clock there. */
    LinkHarness runUntil(long untilNanos) {
        for (long steps = 0; ; steps++) {
            if (steps > STEP_LIMIT) {
                throw new AssertionError("no quiescence after " + STEP_LIMIT + " steps at t=" + now);
            }
            long nextEvent = events.isEmpty() ? Long.MAX_VALUE : events.peek().atNanos();
            long nextTimer = Math.min(earliest(senderDeadline, senderDown), earliest(receiverDeadline, receiverDown));
            if (Math.min(nextEvent, nextTimer) > untilNanos) {
                break;
            }
            now = Math.max(now, Math.min(nextEvent, nextTimer));
            if (nextEvent <= nextTimer) {
                events.poll().action().run();
            } else {
                fireTimers();
            }
        }
        now = Math.max(now, untilNanos);
        return this;
    }

    /** Runs for {@code nanos} more. */
    LinkHarness runFor(long nanos) {
        return runUntil(now + nanos);
    }

    long lastSeq() {
        return lastSeq;
    }

    /** Data frames handed to the network (dropped ones included). */
    List<DataFrame> dataFrames() {
        List<DataFrame> frames = new ArrayList<>();
        for (Sent s : sent) {
            if (s.frame() instanceof DataFrame d) {
                frames.add(d);
            }
        }
        return frames;
    }

    /** How many copies of {@code seq} data frames carried (dropped ones included). */
    long copiesOf(long seq) {
        return countEntries(e -> e.entry().seq() == seq ? 1 : 0);
    }

    long countEntries(ToLongFunction<SentEntry> weight) {
        long n = 0;
        for (DataFrame d : dataFrames()) {
            for (SentEntry e : d.entries()) {
                n += weight.applyAsLong(e);
            }
        }
        return n;
    }

    long highestQuack(int sender) {
        List<Long> q = quacksBy.get(sender);
        return q.isEmpty() ? 0 : q.get(q.size() - 1);
    }

    private void fireTimers() {
        for (int i = 0; i < senders.length; i++) {
            if (!senderDown[i] && senderDeadline[i] <= now) {
                senderDeadline[i] = checked(senders[i].onTick(now, senderSink(i)));
            }
        }
        for (int j = 0; j < receivers.length; j++) {
            if (!receiverDown[j] && receiverDeadline[j] <= now) {
                receiverDeadline[j] = checked(receivers[j].onTick(now, receiverSink(j)));
            }
        }
    }

    private long checked(long deadline) {
        if (deadline <= now) {
            throw new AssertionError("engine asked for a tick at " + deadline + ", not after now=" + now);
        }
        return deadline;
    }

    private static long earliest(long[] deadlines, boolean[] down) {
        long min = Long.MAX_VALUE;
        for (int k = 0; k < deadlines.length; k++) {
            if (!down[k]) {
                min = Math.min(min, deadlines[k]);
            }
        }
        return min;
    }

    private void schedule(long atNanos, Runnable action) {
        events.add(new Event(atNanos, order++, action));
    }

    private void forEachLiveSender(IntConsumer action) {
        for (int i = 0; i < senders.length; i++) {
            if (!senderDown[i]) {
                action.accept(i);
            }
        }
    }

    private void forEachLiveReceiver(IntConsumer action) {
        for (int j = 0; j < receivers.length; j++) {
            if (!receiverDown[j]) {
                action.accept(j);
            }
        }
    }

    private void transmit(boolean toReceivingSite, int from, int peer, Frame frame) {
        if (frame.from() != from || frame.to() != peer) {
            throw new AssertionError("frame " + frame + " sent by " + from + " to " + peer);
        }
        Sent s = new Sent(now, toReceivingSite, from, peer, frame, false);
        boolean dropped = drop.test(s);
        sent.add(dropped ? new Sent(now, toReceivingSite, from, peer, frame, true) : s);
        if (!dropped) {
            schedule(now + networkDelayNanos, () -> arrive(toReceivingSite, peer, frame));
        }
    }

    private void arrive(boolean atReceivingSite, int peer, Frame frame) {
        if (atReceivingSite && !receiverDown[peer]) {
            receiverDeadline[peer] = checked(receivers[peer].onFrame(frame, now, receiverSink(peer)));
        } else if (!atReceivingSite && !senderDown[peer]) {
            senderDeadline[peer] = checked(senders[peer].onFrame(frame, now, senderSink(peer)));
        }
    }

    private void siteCommit(long seq) {
        if (!siteLog.add(seq)) {
            return;
        }
        forEachLiveReceiver(j -> receiverDeadline[j] =
                checked(receivers[j].onSiteCommitted(seq, now, receiverSink(j))));
        long before = siteDurable;
        while (siteLog.contains(siteDurable + 1)) {
            siteDurable++;
        }
        if (siteDurable > before) {
            long durable = siteDurable;
            forEachLiveReceiver(j -> receiverDeadline[j] =
                    checked(receivers[j].onDurable(durable, now, receiverSink(j))));
        }
    }

    private ActionSink senderSink(int i) {
        return new Sink(true, i);
    }

    private ActionSink receiverSink(int j) {
        return new Sink(false, j);
    }

    private final class Sink implements ActionSink {
        private final boolean atSendingSite;
        private final int self;

        Sink(boolean atSendingSite, int self) {
            this.atSendingSite = atSendingSite;
            this.self = self;
        }

        @Override
        public boolean send(int peer, Frame frame) {
            transmit(atSendingSite, self, peer, frame);
            return true;
        }

        @Override
        public void deliver(Entry entry) {
            deliveredBy.get(self).add(entry.seq());
            schedule(now + siteDelayNanos, () -> siteCommit(entry.seq()));
        }

        @Override
        public void quacked(long seq) {
            quacksBy.get(self).add(seq);
        }

        @Override
        public void fenced(FencedFrame refusal) {
            fences.add(refusal);
        }

        @Override
        public void refused(int peer, String reason) {
            refusals.add((atSendingSite ? "sender " : "receiver ") + self + " refused " + peer + ": " + reason);
        }
    }
}
