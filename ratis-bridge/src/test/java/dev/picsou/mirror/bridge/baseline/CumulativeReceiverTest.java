package dev.picsou.mirror.bridge.baseline;

import static dev.picsou.mirror.bridge.baseline.TestLinks.MS;
import static dev.picsou.mirror.bridge.baseline.TestLinks.link;
import static org.assertj.core.api.Assertions.assertThat;

import dev.picsou.mirror.bridge.baseline.CumulativeReceiver.AckTargets;
import dev.picsou.mirror.bridge.model.AckFrame;
import dev.picsou.mirror.bridge.model.DataFrame;
import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.FencedFrame;
import dev.picsou.mirror.bridge.model.ForkPoint;
import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.model.Mac;
import dev.picsou.mirror.bridge.model.SentEntry;
import dev.picsou.mirror.bridge.picsou.PicsouParams;
import dev.picsou.mirror.bridge.wire.FrameAuthenticator;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class CumulativeReceiverTest {
    private final PicsouParams params = link(3, 3).epoch(5).forkSeq(42).build();
    private final CumulativeReceiver receiver = new CumulativeReceiver(1, params, AckTargets.ALL_SENDERS);
    private final RecordingSink out = new RecordingSink();

    private static Entry entry(long seq) {
        return Entry.of(5, seq, 1, seq, new byte[] {(byte) seq, 7});
    }

    private DataFrame data(int from, long... seqs) {
        List<SentEntry> entries = LongStream.of(seqs).mapToObj(s -> new SentEntry(entry(s), 0)).toList();
        return new DataFrame(params.linkId(), params.epoch(), from, 1, 0, entries, Mac.NONE);
    }

    @Test
    void deliversEachEntryOnceHoweverManyCopiesArrive() {
        receiver.onFrame(data(0, 1, 2), 0, out);
        receiver.onFrame(data(1, 2, 1, 3), 0, out);
        receiver.onFrame(data(2, 3), 0, out);

        assertThat(out.deliveredSeqs()).containsExactly(1L, 2L, 3L);
        assertThat(receiver.receivedSeq()).isEqualTo(3);
    }

    @Test
    void neverDeliversWhatItsSiteAlreadyCommitted() {
        receiver.onSiteCommitted(2, 0, out);
        receiver.onDurable(1, 0, out);
        receiver.onFrame(data(0, 1, 2, 3), 0, out);

        assertThat(out.deliveredSeqs()).containsExactly(3L);
    }

    @Test
    void refusesAnEntryFailingItsChecksumButDeliversTheOthers() {
        Entry good = entry(1);
        Entry bad = new Entry(5, 2, 1, 2, new byte[] {9}, 1234);
        DataFrame frame = new DataFrame(params.linkId(), 5, 0, 1, 0,
                List.of(new SentEntry(good, 0), new SentEntry(bad, 0)), Mac.NONE);

        receiver.onFrame(frame, 0, out);

        assertThat(out.deliveredSeqs()).containsExactly(1L);
        assertThat(out.refused).singleElement().asString().contains("entry 2", "CRC32C");
    }

    @Test
    void answersAnOlderEpochWithFencedNamingTheForkPoint() {
        DataFrame old = new DataFrame(params.linkId(), 4, 2, 1, 0, List.of(new SentEntry(entry(1), 0)), Mac.NONE);

        receiver.onFrame(old, 0, out);

        assertThat(out.delivered).isEmpty();
        assertThat(out.sentTo).containsExactly(2);
        assertThat(out.sent).singleElement().isEqualTo(
                new FencedFrame(params.linkId(), 5, 1, 2, new ForkPoint(5, 42), Mac.NONE));
    }

    @Test
    void refusesFramesThatDoNotBelongHere() {
        List<Frame> strangers = List.of(
                new DataFrame(params.linkId(), 5, 3, 1, 0, List.of(), Mac.NONE),
                new DataFrame(params.linkId(), 5, -1, 1, 0, List.of(), Mac.NONE),
                new DataFrame(params.linkId(), 5, 0, 2, 0, List.of(), Mac.NONE),
                new DataFrame(params.linkId() + 1, 5, 0, 1, 0, List.of(), Mac.NONE),
                new DataFrame(params.linkId(), 6, 0, 1, 0, List.of(), Mac.NONE),
                new AckFrame(params.linkId(), 5, 0, 1, 0, 0, dev.picsou.mirror.bridge.model.PhiList.EMPTY, Mac.NONE));

        strangers.forEach(f -> receiver.onFrame(f, 0, out));

        assertThat(out.refused).hasSize(strangers.size());
        assertThat(out.sent).isEmpty();
    }

    @Test
    void acksEverySenderCumulativelyWithAPhiList() {
        receiver.onFrame(data(0, 1, 2, 4, 6), 0, out);

        List<AckFrame> acks = out.acks();
        assertThat(acks).extracting(AckFrame::to).containsExactly(0, 1, 2);
        AckFrame ack = acks.get(0);
        assertThat(ack.received()).isEqualTo(2);
        assertThat(ack.durable()).isZero();
        assertThat(ack.holds(3)).isFalse();
        assertThat(ack.holds(4)).isTrue();
        assertThat(ack.holds(5)).isFalse();
        assertThat(ack.highestHeld()).isEqualTo(6);
    }

    @Test
    void acksAtMostOncePerIntervalWhileThereIsNews() {
        receiver.onFrame(data(0, 1), 0, out);
        out.clear();

        long deadline = receiver.onFrame(data(0, 2), MS, out);
        assertThat(out.acks()).isEmpty();
        assertThat(deadline).isEqualTo(2 * MS);

        receiver.onTick(2 * MS, out);
        assertThat(out.acks()).hasSize(3).allSatisfy(a -> assertThat(a.received()).isEqualTo(2));
    }

    @Test
    void acksAtOnceWhenDurableMovesByAckEveryEntries() {
        receiver.onFrame(data(0, 1), 0, out);
        out.clear();

        receiver.onDurable(15, MS / 2, out);
        assertThat(out.acks()).isEmpty();
        receiver.onDurable(17, MS, out);
        assertThat(out.acks()).hasSize(3).allSatisfy(a -> assertThat(a.durable()).isEqualTo(17));
    }

    @Test
    void repeatsItsLastAckWithBackoffWhenNothingChanges() {
        long deadline = receiver.onFrame(data(0, 1), 0, out);
        long[] gaps = new long[5];
        for (int k = 0; k < gaps.length; k++) {
            long previous = deadline;
            deadline = receiver.onTick(deadline, out);
            gaps[k] = deadline - previous;
        }

        assertThat(gaps).containsExactly(8 * MS, 16 * MS, 32 * MS, 64 * MS, 128 * MS);
        assertThat(out.acks()).hasSize(3 * 6).allSatisfy(a -> assertThat(a.received()).isEqualTo(1));
    }

    @Test
    void leaderBasedReceiversAckTheCurrentSendingLeaderOnly() {
        CumulativeReceiver r = new CumulativeReceiver(1, params, AckTargets.SENDER_LEADER);
        r.onFrame(data(0, 1), 0, out);
        r.onLeaderChanged(2, 0, 10 * MS, out);

        assertThat(out.sentTo).containsExactly(0, 2);
    }

    @Test
    void oneShotReceiversNeverAck() {
        CumulativeReceiver r = new CumulativeReceiver(1, params, AckTargets.NONE);
        long deadline = r.onFrame(data(0, 1), 0, out);
        r.onDurable(1, MS, out);

        assertThat(out.sent).isEmpty();
        assertThat(deadline).isEqualTo(Long.MAX_VALUE);
        assertThat(out.deliveredSeqs()).containsExactly(1L);
    }

    @Test
    void onAnAuthenticatedLinkRefusesUnsignedFramesAndSignsItsAcks() {
        byte[] secret = new byte[16];
        Arrays.fill(secret, (byte) 3);
        PicsouParams bft = link(4, 4).senderFaults(1, 1).receiverFaults(1, 1).linkSecret(secret).build();
        CumulativeReceiver r = new CumulativeReceiver(1, bft, AckTargets.ALL_SENDERS);
        FrameAuthenticator auth = FrameAuthenticator.fromSecret(secret);
        DataFrame unsigned = new DataFrame(bft.linkId(), bft.epoch(), 0, 1, 0,
                List.of(new SentEntry(Entry.of(bft.epoch(), 1, 1, 1, new byte[] {1}), 0)), Mac.NONE);

        r.onFrame(unsigned, 0, out);
        assertThat(out.refused).singleElement().asString().contains("authenticator");
        assertThat(out.delivered).isEmpty();

        r.onFrame(auth.sign(unsigned), 0, out);
        assertThat(out.deliveredSeqs()).containsExactly(1L);
        assertThat(out.acks()).isNotEmpty().allSatisfy(a -> assertThat(auth.verify(a)).isTrue());
    }
}
