package dev.picsou.mirror.bridge.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fault decorator over the in-memory hub. "Nothing arrived" is proven without waiting: the hub delivers in
 * FIFO order, so once a marker frame sent afterwards (with faults off) has arrived, everything sent before it that
 * was going to arrive without a delay has arrived.
 */
class FaultyTransportTest {
    static {
        TestLogging.quiet();
    }

    private static final PeerId EAST0 = new PeerId("east", 0);
    private static final PeerId WEST1 = new PeerId("west", 1);
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final long MARKER = 1_000_000;

    private final InMemoryHub hub = new InMemoryHub();
    private final List<Transport> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(Transport::close);
        hub.close();
    }

    private FaultyTransport faulty(PeerId self, RecordingListener listener, FaultSettings settings, long seed) {
        FaultyTransport t = new FaultyTransport(hub.factory(self), listener, settings, seed);
        t.start();
        opened.add(t);
        return t;
    }

    private InMemoryTransport plain(PeerId self, RecordingListener listener) {
        InMemoryTransport t = hub.endpoint(self, listener);
        t.start();
        opened.add(t);
        return t;
    }

    private static void sendSeqs(Transport from, PeerId to, long first, long last) {
        for (long seq = first; seq <= last; seq++) {
            from.send(to, SampleFrames.data(from.self(), to, seq, 16));
        }
    }

    /** Sends a marker with faults off and waits for it: afterwards, {@code received} is final. */
    private static void flushWithMarker(FaultyTransport from, PeerId to, RecordingListener receiver) {
        from.setSettings(FaultSettings.NONE);
        from.heal();
        from.send(to, SampleFrames.data(from.self(), to, MARKER, 1));
        await().atMost(PATIENCE).until(() -> receiver.seqs().contains(MARKER));
    }

    @Test
    void withDropProbabilityOneNothingArrives() {
        RecordingListener lb = new RecordingListener();
        FaultyTransport a = faulty(EAST0, new RecordingListener(), FaultSettings.NONE.withDrop(1.0), 1);
        plain(WEST1, lb);

        sendSeqs(a, WEST1, 1, 100);
        flushWithMarker(a, WEST1, lb);

        assertThat(lb.seqs()).containsExactly(MARKER);
        assertThat(a.droppedByFault()).isEqualTo(100);
    }

    @Test
    void aPartitionCutsBothDirectionsUntilHealed() {
        RecordingListener la = new RecordingListener();
        RecordingListener lb = new RecordingListener();
        FaultyTransport a = faulty(EAST0, la, FaultSettings.NONE, 1);
        InMemoryTransport b = plain(WEST1, lb);

        a.partition(Set.of(EAST0));
        sendSeqs(a, WEST1, 1, 10);
        sendSeqs(b, EAST0, 1, 10);
        // Outbound frames are cut at once; inbound ones when the hub delivers them.
        await().atMost(PATIENCE).until(() -> a.droppedByPartition() == 20);
        flushWithMarker(a, WEST1, lb);
        b.send(EAST0, SampleFrames.data(WEST1, EAST0, MARKER, 1));
        await().atMost(PATIENCE).until(() -> la.seqs().contains(MARKER));

        assertThat(lb.seqs()).containsExactly(MARKER);
        assertThat(la.seqs()).containsExactly(MARKER);
        assertThat(a.droppedByPartition()).isEqualTo(20);

        sendSeqs(a, WEST1, 11, 12);
        sendSeqs(b, EAST0, 11, 12);
        await().atMost(PATIENCE).until(() -> lb.count() == 3 && la.count() == 3);
        assertThat(lb.seqs()).containsExactly(MARKER, 11L, 12L);
        assertThat(la.seqs()).containsExactly(MARKER, 11L, 12L);
    }

    @Test
    void aDirectedCutBlocksOneWayOnly() {
        RecordingListener la = new RecordingListener();
        RecordingListener lb = new RecordingListener();
        FaultyTransport a = faulty(EAST0, la, FaultSettings.NONE, 1);
        InMemoryTransport b = plain(WEST1, lb);

        a.blockWhen((from, to) -> from.equals(EAST0) && to.equals(WEST1));
        sendSeqs(a, WEST1, 1, 5);
        sendSeqs(b, EAST0, 1, 5);
        await().atMost(PATIENCE).until(() -> la.count() == 5);
        flushWithMarker(a, WEST1, lb);

        assertThat(lb.seqs()).containsExactly(MARKER);
        assertThat(la.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void withDuplicateProbabilityOneEveryFrameArrivesTwice() {
        RecordingListener lb = new RecordingListener();
        FaultyTransport a = faulty(EAST0, new RecordingListener(), FaultSettings.NONE.withDuplicate(1.0), 1);
        plain(WEST1, lb);

        sendSeqs(a, WEST1, 1, 50);
        await().atMost(PATIENCE).until(() -> lb.count() == 100);

        List<Long> expected = LongStream.rangeClosed(1, 50).boxed().flatMap(s -> List.of(s, s).stream()).toList();
        assertThat(lb.seqs()).containsExactlyElementsOf(expected);
        assertThat(a.duplicated()).isEqualTo(50);
    }

    @Test
    void theSameSeedMakesTheSameDropDecisions() {
        List<Long> first = survivorsOfHalfDrop(42);
        List<Long> again = survivorsOfHalfDrop(42);
        List<Long> other = survivorsOfHalfDrop(43);

        assertThat(first).isEqualTo(again);
        assertThat(first).hasSizeBetween(50, 150);
        assertThat(other).isNotEqualTo(first);
    }

    private List<Long> survivorsOfHalfDrop(long seed) {
        PeerId sender = new PeerId("east", (int) (seed % 100));
        PeerId receiver = new PeerId("west", (int) (seed % 100));
        RecordingListener lr = new RecordingListener();
        FaultyTransport s = faulty(sender, new RecordingListener(), FaultSettings.NONE.withDrop(0.5), seed);
        InMemoryTransport r = plain(receiver, lr);
        sendSeqs(s, receiver, 1, 200);
        flushWithMarker(s, receiver, lr);
        s.close();
        r.close();
        return lr.seqs().stream().filter(seq -> seq != MARKER).toList();
    }

    @Test
    void aFixedDelayKeepsOrderAndRandomExtraDelaysReorder() {
        RecordingListener lb = new RecordingListener();
        FaultyTransport a = faulty(EAST0, new RecordingListener(),
                FaultSettings.NONE.withDelay(Duration.ofMillis(20), Duration.ZERO), 7);
        plain(WEST1, lb);

        sendSeqs(a, WEST1, 1, 100);
        await().atMost(PATIENCE).until(() -> lb.count() == 100);
        assertThat(lb.seqs()).isSorted();
        assertThat(a.delayed()).isEqualTo(100);

        a.setSettings(FaultSettings.NONE.withReorder(0.5, Duration.ofMillis(50)));
        sendSeqs(a, WEST1, 101, 300);
        await().atMost(PATIENCE).until(() -> lb.count() == 300);
        List<Long> reordered = lb.seqs().subList(100, 300);
        assertThat(reordered).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(101, 300).boxed().toList());
        assertThat(reordered).isNotEqualTo(LongStream.rangeClosed(101, 300).boxed().toList());
    }

    @Test
    void withNoFaultsTheDecoratorIsTransparent() {
        RecordingListener la = new RecordingListener();
        RecordingListener lb = new RecordingListener();
        FaultyTransport a = faulty(EAST0, la, FaultSettings.NONE, 1);
        InMemoryTransport b = plain(WEST1, lb);

        await().atMost(PATIENCE).until(() -> a.isWritable(WEST1) && la.lastWritable(WEST1));
        a.send(WEST1, SampleFrames.everyType(EAST0, WEST1).get(1));
        b.send(EAST0, SampleFrames.everyType(WEST1, EAST0).get(4));
        await().atMost(PATIENCE).until(() -> lb.count() == 1 && la.count() == 1);
        assertThat(lb.framesFrom(EAST0)).containsExactly(SampleFrames.everyType(EAST0, WEST1).get(1));
        assertThat(la.framesFrom(WEST1)).containsExactly(SampleFrames.everyType(WEST1, EAST0).get(4));
        assertThat(la.ups).containsExactly(WEST1);
    }
}
