package dev.picsou.mirror.bridge.picsou;

import static dev.picsou.mirror.bridge.picsou.CoreFixtures.MS;
import static dev.picsou.mirror.bridge.picsou.CoreFixtures.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.picsou.mirror.bridge.model.AckFrame;
import dev.picsou.mirror.bridge.model.DataFrame;
import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.FencedFrame;
import dev.picsou.mirror.bridge.model.ForkPoint;
import dev.picsou.mirror.bridge.model.Mac;
import dev.picsou.mirror.bridge.model.SentEntry;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class PicsouReceiverTest {
    private final PicsouParams params = PicsouParams.builder(3, 3).epoch(2).forkSeq(7).build();

    private DataFrame data(int from, long epoch, Entry... entries) {
        List<SentEntry> sent = new ArrayList<>();
        for (Entry e : entries) {
            sent.add(new SentEntry(e, 0));
        }
        return new DataFrame(params.linkId(), epoch, from, 0, 0, sent, Mac.NONE);
    }

    private static Entry entry2(long seq) {
        Entry e = entry(seq);
        return new Entry(2, seq, e.raftTerm(), e.raftIndex(), e.payload(), e.crc32c());
    }

    @Test
    void deliversEachNewEntryOnceAndDropsDuplicates() {
        PicsouReceiver receiver = new PicsouReceiver(0, params);
        RecordingSink out = new RecordingSink();
        receiver.onFrame(data(0, 2, entry2(1), entry2(2)), 0, out);
        receiver.onFrame(data(1, 2, entry2(2), entry2(3)), 0, out);
        receiver.onSiteCommitted(4, 0, out);
        receiver.onFrame(data(2, 2, entry2(4)), 0, out);

        assertThat(out.delivered).extracting(Entry::seq).containsExactly(1L, 2L, 3L);
        assertThat(receiver.receivedSeq()).isEqualTo(4);
    }

    @Test
    void corruptedEntryIsRefusedAndNeverDelivered() {
        PicsouReceiver receiver = new PicsouReceiver(0, params);
        RecordingSink out = new RecordingSink();
        Entry good = entry2(1);
        Entry corrupted = new Entry(2, 1, 1, 2, "tampered".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                good.crc32c());

        receiver.onFrame(data(0, 2, corrupted), 0, out);

        assertThat(out.delivered).isEmpty();
        assertThat(out.refused).singleElement().asString().contains("seq 1").contains("CRC32C");
    }

    @Test
    void frameOfAnOlderEpochIsRefusedWithFencedAndTheForkPoint() {
        PicsouReceiver receiver = new PicsouReceiver(0, params);
        RecordingSink out = new RecordingSink();

        receiver.onFrame(data(1, 1, entry(8)), 0, out);

        assertThat(out.delivered).isEmpty();
        assertThat(out.sent).singleElement().satisfies(s -> {
            assertThat(s.peer()).isEqualTo(1);
            FencedFrame f = (FencedFrame) s.frame();
            assertThat(f.epoch()).isEqualTo(2);
            assertThat(f.forkPoint()).isEqualTo(new ForkPoint(2, 7));
        });
    }

    @Test
    void acksCarryBothPrefixesAndThePhiListAndReachEverySenderThenStop() {
        PicsouReceiver receiver = new PicsouReceiver(0, params);
        RecordingSink out = new RecordingSink();
        receiver.onFrame(data(0, 2, entry2(1), entry2(2), entry2(4), entry2(6)), 0, out);
        receiver.onDurable(1, 0, out);

        long t = 0;
        for (int round = 0; round < 6; round++) {
            t = Math.max(t + 1, receiver.onTick(t, out));
        }
        List<AckFrame> acks = out.acks();
        assertThat(acks).extracting(AckFrame::to).contains(0, 1, 2);
        AckFrame last = acks.get(acks.size() - 1);
        assertThat(last.received()).isEqualTo(2);
        assertThat(last.durable()).isEqualTo(1);
        assertThat(last.holds(4)).isTrue();
        assertThat(last.holds(3)).isFalse();
        assertThat(last.holds(5)).isFalse();
        assertThat(last.holds(6)).isTrue();
        assertThat(last.highestHeld()).isEqualTo(6);

        receiver.onSiteCommitted(3, t, out);
        receiver.onSiteCommitted(5, t, out);
        receiver.onDurable(6, t, out);
        out.clear();
        long deadline = t;
        while (out.acks().size() < 3) {
            deadline = receiver.onTick(Math.max(t, deadline), out);
            t = Math.max(t, deadline);
        }
        assertThat(out.acks()).as("each stale sender once, before any keepalive").extracting(AckFrame::to)
                .containsExactlyInAnyOrder(0, 1, 2);
        assertThat(out.acks()).allSatisfy(a -> assertThat(a.durable()).isEqualTo(6));

        // Nothing new to say: keepalive rounds, at an interval that doubles, repair acks that were lost.
        long previous = t;
        long gap = 0;
        for (int round = 0; round < 4; round++) {
            long next = receiver.onTick(previous, out);
            assertThat(next - previous).as("keepalive gap").isGreaterThanOrEqualTo(gap);
            gap = next - previous;
            previous = next;
        }
        assertThat(gap).isGreaterThanOrEqualTo(4 * params.ackIntervalNanos());
    }

    @Test
    void durableJumpOfABatchIsAcknowledgedAtOnce() {
        PicsouParams p = PicsouParams.builder(2, 1).ackEveryEntries(10).ackIntervalNanos(100 * MS).build();
        PicsouReceiver receiver = new PicsouReceiver(0, p);
        RecordingSink out = new RecordingSink();
        receiver.onDurable(3, 0, out);
        int first = out.acks().size();
        receiver.onDurable(5, MS, out);
        assertThat(out.acks()).hasSize(first);

        receiver.onDurable(20, 2 * MS, out);
        assertThat(out.acks()).hasSize(first + 1);
        assertThat(out.acks().get(first).durable()).isEqualTo(20);
    }

    @Test
    void entryWhoseProposalTheSiteLostIsProposedAgainUntilCommitted() {
        PicsouReceiver receiver = new PicsouReceiver(0, params);
        RecordingSink out = new RecordingSink();
        long deadline = receiver.onFrame(data(0, 2, entry2(1), entry2(2)), 0, out);
        receiver.onSiteCommitted(2, 0, out);
        assertThat(deadline).isLessThanOrEqualTo(params.initialRetransmitTimeoutNanos());

        receiver.onTick(params.initialRetransmitTimeoutNanos(), out);
        assertThat(out.delivered).extracting(Entry::seq).containsExactly(1L, 2L, 1L);

        receiver.onSiteCommitted(1, params.initialRetransmitTimeoutNanos() + 1, out);
        receiver.onTick(10 * params.initialRetransmitTimeoutNanos(), out);
        assertThat(out.delivered).extracting(Entry::seq).containsExactly(1L, 2L, 1L);
    }

    @Test
    void anEntryTheSiteNeverCommitsIsProposedAgainAtDoublingIntervalsUpToSixtyFourTimeouts() {
        PicsouReceiver receiver = new PicsouReceiver(0, params);
        RecordingSink out = new RecordingSink();
        long t = params.initialRetransmitTimeoutNanos();
        receiver.onFrame(data(0, 2, entry2(1)), 0, out);

        List<Long> proposedAt = new ArrayList<>();
        for (long now = 0; now <= 400 * t; now += t / 4) {
            int before = out.delivered.size();
            receiver.onTick(now, out);
            if (out.delivered.size() > before) {
                proposedAt.add(now / t);
            }
        }

        assertThat(proposedAt).containsExactly(1L, 3L, 7L, 15L, 31L, 63L, 127L, 191L, 255L, 319L, 383L);
    }

    @Test
    void aSiteSlowerThanTheTimeoutIsNotSentItsEntriesAgainEveryTimeout() {
        PicsouReceiver receiver = new PicsouReceiver(0, params);
        RecordingSink out = new RecordingSink();
        long t = params.initialRetransmitTimeoutNanos();
        long latency = 5 * t;
        int entries = 200;
        long step = t / 10;
        // One entry arrives every step; the site commits each one 5 timeouts after it arrived.
        for (long now = 0, seq = 1; seq <= entries || now <= entries * step + latency; now += step) {
            if (seq <= entries) {
                receiver.onFrame(data(0, 2, entry2(seq)), now, out);
                seq++;
            }
            long committed = (now - latency) / step + 1;
            if (now >= latency && committed <= entries) {
                receiver.onSiteCommitted(committed, now, out);
            }
            receiver.onTick(now, out);
        }

        long again = out.delivered.size() - entries;
        // A fixed timeout proposes each entry four more times (at 1, 2, 3 and 4 timeouts): 800 here.
        assertThat(again).isLessThan(entries / 2);
        // Commits start after 50 arrivals; a few samples later the wait covers the latency.
        assertThat(out.delivered).extracting(Entry::seq).filteredOn(seq -> seq > 70)
                .as("once the site's latency is learnt, no entry goes twice").doesNotHaveDuplicates()
                .hasSize(entries - 70);
    }

    @Test
    void aCommitLatencyLearntInASlowSpellDelaysAFirstReproposalByNoMoreThanTheLongestTimeout() {
        PicsouParams p = PicsouParams.builder(3, 3).epoch(2).forkSeq(7).initialRetransmitTimeoutNanos(500 * MS)
                .maxRetransmitTimeoutNanos(2_000 * MS).build();
        PicsouReceiver receiver = new PicsouReceiver(0, p);
        RecordingSink out = new RecordingSink();
        // A slow spell: 40 entries arrive at once and the site commits them 30 s later (no tick in between, so
        // their own re-proposals do not show here).
        for (long seq = 1; seq <= 40; seq++) {
            receiver.onFrame(data(0, 2, entry2(seq)), 0, out);
        }
        long now = 30_000 * MS;
        for (long seq = 1; seq <= 40; seq++) {
            receiver.onSiteCommitted(seq, now, out);
        }
        int before = out.delivered.size();
        receiver.onFrame(data(0, 2, entry2(41)), now, out);

        receiver.onTick(now + 1_999 * MS, out);
        assertThat(out.delivered.size() - before).as("first delivery only").isEqualTo(1);
        receiver.onTick(now + 2_000 * MS, out);
        assertThat(out.delivered.subList(before, out.delivered.size())).extracting(Entry::seq)
                .containsExactly(41L, 41L);
    }

    @Test
    void entriesInADurablePrefixAreNeverProposedAgainThoughTheSiteNamedNoneOfThemCommitted() {
        PicsouReceiver receiver = new PicsouReceiver(0, params);
        RecordingSink out = new RecordingSink();
        long t = params.initialRetransmitTimeoutNanos();
        receiver.onFrame(data(0, 2, entry2(1), entry2(2), entry2(3)), 0, out);

        receiver.onDurable(2, t / 2, out);
        for (long now = t / 2; now <= 3 * t; now += t / 4) {
            receiver.onTick(now, out);
        }

        assertThat(out.delivered).extracting(Entry::seq).containsExactly(1L, 2L, 3L, 3L, 3L);
    }
}
