package dev.picsou.mirror.bridge.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import dev.picsou.mirror.bridge.model.DataFrame;
import dev.picsou.mirror.bridge.model.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Transport} must have, run against each implementation by a subclass. Endpoints are
 * two replicas of two sites; {@link #open} returns a started endpoint that the other endpoints can reach.
 */
abstract class TransportContractTest {
    static {
        TestLogging.quiet();
    }

    static final PeerId EAST0 = new PeerId("east", 0);
    static final PeerId WEST1 = new PeerId("west", 1);
    static final Duration PATIENCE = Duration.ofSeconds(20);

    private final List<Transport> opened = new ArrayList<>();
    private final List<RecordingListener> listeners = new ArrayList<>();

    /** A started endpoint for {@code self}, reachable by the others (also after a restart under the same id). */
    protected abstract Transport start(PeerId self, TransportListener listener);

    /** Frames written while the reader is blocked, at most, before the test gives up on writability. */
    protected int maxFramesToFillBuffers() {
        return 4096;
    }

    final Transport open(PeerId self, RecordingListener listener) {
        Transport t = start(self, listener);
        opened.add(t);
        listeners.add(listener);
        return t;
    }

    @AfterEach
    void closeEverything() {
        listeners.forEach(RecordingListener::unblock);
        opened.forEach(Transport::close);
    }

    static void awaitWritable(Transport t, PeerId peer) {
        await().atMost(PATIENCE).until(() -> t.isWritable(peer));
    }

    @Test
    void framesOfEveryTypeArriveIntactAndInOrderInBothDirections() {
        RecordingListener la = new RecordingListener();
        RecordingListener lb = new RecordingListener();
        Transport a = open(EAST0, la);
        Transport b = open(WEST1, lb);
        awaitWritable(a, WEST1);
        awaitWritable(b, EAST0);

        List<Frame> eastToWest = SampleFrames.everyType(EAST0, WEST1);
        List<Frame> westToEast = SampleFrames.everyType(WEST1, EAST0);
        eastToWest.forEach(f -> a.send(WEST1, f));
        westToEast.forEach(f -> b.send(EAST0, f));

        await().atMost(PATIENCE).until(() -> lb.count() == eastToWest.size() && la.count() == westToEast.size());
        assertThat(lb.framesFrom(EAST0)).containsExactlyElementsOf(eastToWest);
        assertThat(la.framesFrom(WEST1)).containsExactlyElementsOf(westToEast);
        assertThat(la.ups).contains(WEST1);
        assertThat(la.lastWritable(WEST1)).isTrue();
    }

    @Test
    void tenThousandFramesArriveCompleteAndInOrder() {
        RecordingListener la = new RecordingListener();
        RecordingListener lb = new RecordingListener();
        Transport a = open(EAST0, la);
        open(WEST1, lb);
        awaitWritable(a, WEST1);

        int n = 10_000;
        for (long seq = 1; seq <= n; seq++) {
            a.send(WEST1, SampleFrames.data(EAST0, WEST1, seq, 100));
        }

        await().atMost(PATIENCE).until(() -> lb.count() == n);
        assertThat(lb.seqs()).containsExactlyElementsOf(LongStream.rangeClosed(1, n).boxed().toList());
    }

    @Test
    void restartedPeerIsReconnectedAndFramesFlowAgain() {
        RecordingListener la = new RecordingListener();
        RecordingListener lb = new RecordingListener();
        Transport a = open(EAST0, la);
        Transport b = open(WEST1, lb);
        awaitWritable(a, WEST1);
        a.send(WEST1, SampleFrames.data(EAST0, WEST1, 1, 10));
        await().atMost(PATIENCE).until(() -> lb.count() == 1);

        b.close();
        await().atMost(PATIENCE).until(() -> la.downs.contains(WEST1) && !a.isWritable(WEST1));
        assertThat(la.lastWritable(WEST1)).isFalse();
        assertThatCode(() -> a.send(WEST1, SampleFrames.data(EAST0, WEST1, 2, 10)))
                .as("sending to a peer that is down drops, it does not throw").doesNotThrowAnyException();

        RecordingListener lb2 = new RecordingListener();
        Transport b2 = open(WEST1, lb2);
        awaitWritable(a, WEST1);
        awaitWritable(b2, EAST0);
        a.send(WEST1, SampleFrames.data(EAST0, WEST1, 3, 10));
        b2.send(EAST0, SampleFrames.data(WEST1, EAST0, 1, 10));

        await().atMost(PATIENCE).until(() -> lb2.count() == 1 && la.count() == 1);
        assertThat(lb2.seqs()).containsExactly(3L);
        assertThat(la.seqs()).containsExactly(1L);
        assertThat(la.lastWritable(WEST1)).isTrue();
        assertThat(la.ups).containsExactly(WEST1, WEST1);
    }

    @Test
    void writabilityTurnsFalseUnderABlockedReaderAndTrueAfter() {
        RecordingListener la = new RecordingListener();
        RecordingListener lb = new RecordingListener();
        Transport a = open(EAST0, la);
        open(WEST1, lb);
        awaitWritable(a, WEST1);
        await().atMost(PATIENCE).until(() -> la.lastWritable(WEST1));

        lb.block();
        byte[] payload = new byte[64 << 10];
        int sent = 0;
        while (sent < maxFramesToFillBuffers()) {
            if (a.isWritable(WEST1)) {
                sent++;
                a.send(WEST1, SampleFrames.data(EAST0, WEST1, sent, payload));
            } else if (!recoversWithinASecond(a, WEST1)) {
                break; // a transport may turn briefly unwritable while its I/O thread catches up; this is not that
            }
        }
        assertThat(sent).as("frames sent before the writer saw backpressure").isLessThan(maxFramesToFillBuffers());
        assertThat(la.lastWritable(WEST1)).as("not writable was reported").isFalse();

        lb.unblock();
        await().atMost(PATIENCE).until(() -> la.lastWritable(WEST1) && a.isWritable(WEST1));
        int expected = sent;
        await().atMost(PATIENCE).until(() -> lb.count() == expected);
        assertThat(lb.seqs()).containsExactlyElementsOf(LongStream.rangeClosed(1, sent).boxed().toList());
    }

    private static boolean recoversWithinASecond(Transport t, PeerId peer) {
        try {
            await().atMost(Duration.ofSeconds(1)).until(() -> t.isWritable(peer));
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    @Test
    void sendingToAPeerThatNeverStartedDropsAndReportsNotWritable() {
        RecordingListener la = new RecordingListener();
        Transport a = open(EAST0, la);
        PeerId ghost = new PeerId("west", 9);

        assertThatCode(() -> a.send(ghost, SampleFrames.data(EAST0, ghost, 1, 10))).doesNotThrowAnyException();
        assertThat(a.isWritable(ghost)).isFalse();
        assertThat(la.received).isEmpty();
    }

    @Test
    void sendRefusesFramesWhoseAddressingDisagreesWithTheEndpoints() {
        Transport a = open(EAST0, new RecordingListener());
        DataFrame wrongFrom = SampleFrames.data(new PeerId("east", 3), WEST1, 1, 1);
        DataFrame wrongTo = SampleFrames.data(EAST0, new PeerId("west", 4), 1, 1);

        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> a.send(WEST1, wrongFrom)).withMessageContaining("from");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> a.send(WEST1, wrongTo)).withMessageContaining("to");
    }
}
