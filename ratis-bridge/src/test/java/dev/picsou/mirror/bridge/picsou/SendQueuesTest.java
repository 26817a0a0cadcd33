package dev.picsou.mirror.bridge.picsou;

import static dev.picsou.mirror.bridge.picsou.CoreFixtures.MS;
import static dev.picsou.mirror.bridge.picsou.CoreFixtures.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.SentEntry;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SendQueuesTest {

    @Test
    void aLinkReportingFullEndsTheFlushSoLaterEntriesDoNotOvertakeEarlierOnes() {
        // One entry per frame; receiver 0 has two entries queued, the others one each (as when a replica takes a
        // crashed one's entry over and sends it to the receiver that one would have used).
        SendQueues queues = new SendQueues(3, 1, 5 * MS, 5 * MS);
        queues.add(0, new SentEntry(entry(1), 0), 0);
        queues.add(1, new SentEntry(entry(2), 0), 0);
        queues.add(2, new SentEntry(entry(3), 0), 0);
        queues.add(0, new SentEntry(entry(4), 1), 0);
        List<Long> sent = new ArrayList<>();
        int[] room = {2};

        long next = queues.flush(0, true, (receiver, batch) -> {
            batch.forEach(e -> sent.add(e.entry().seq()));
            return --room[0] > 0;
        });
        assertThat(sent).as("the uplink filled with seq 2: seq 3 must not go ahead of seq 4").containsExactly(1L, 2L);
        assertThat(next).as("the links not reported full are tried again a batch delay later").isEqualTo(5 * MS);

        room[0] = 10;
        queues.setWritable(1, true);
        queues.flush(5 * MS, true, (receiver, batch) -> {
            batch.forEach(e -> sent.add(e.entry().seq()));
            return true;
        });
        assertThat(sent).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void withoutLingerAPartialBatchWaitsForTheTickAndLeavesWithEverythingQueuedBeforeIt() {
        SendQueues queues = new SendQueues(2, 1 << 20, 0, MS);
        List<List<Long>> frames = new ArrayList<>();
        SendQueues.BatchConsumer sink = (receiver, batch) -> {
            frames.add(batch.stream().map(e -> e.entry().seq()).toList());
            return true;
        };

        queues.add(0, new SentEntry(entry(1), 0), 7);
        assertThat(queues.flush(7, false, sink)).as("an event asks for a tick at once").isEqualTo(7);
        queues.add(0, new SentEntry(entry(2), 0), 7);
        queues.add(1, new SentEntry(entry(3), 0), 7);
        assertThat(queues.flush(7, false, sink)).isEqualTo(7);
        assertThat(frames).as("events send no partial batch").isEmpty();

        assertThat(queues.flush(7, true, sink)).isEqualTo(Long.MAX_VALUE);
        assertThat(frames).as("one frame per receiver at the tick").containsExactly(List.of(1L, 2L), List.of(3L));
    }

    @Test
    void aFullBatchLeavesAtTheEventThatFilledIt() {
        SendQueues queues = new SendQueues(1, 2 * 1024, 0, MS);
        List<Long> sent = new ArrayList<>();
        SendQueues.BatchConsumer sink = (receiver, batch) -> {
            batch.forEach(e -> sent.add(e.entry().seq()));
            return true;
        };
        queues.add(0, new SentEntry(Entry.of(1, 1, 1, 2, new byte[1024]), 0), 0);
        queues.flush(0, false, sink);
        assertThat(sent).isEmpty();
        queues.add(0, new SentEntry(Entry.of(1, 2, 1, 4, new byte[1024]), 0), 0);
        queues.flush(0, false, sink);
        assertThat(sent).containsExactly(1L, 2L);
    }

    @Test
    void withoutLingerTheLinksLeftAfterOneReportedFullWaitTheStallNotABusyLoop() {
        SendQueues queues = new SendQueues(2, 1, 0, 3 * MS);
        queues.add(0, new SentEntry(entry(1), 0), 0);
        queues.add(1, new SentEntry(entry(2), 0), 0);
        List<Long> sent = new ArrayList<>();

        long next = queues.flush(10 * MS, true, (receiver, batch) -> {
            batch.forEach(e -> sent.add(e.entry().seq()));
            return false;
        });
        assertThat(sent).containsExactly(1L);
        assertThat(next).isEqualTo(13 * MS);
    }
}
