package dev.picsou.mirror.bridge.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.picsou.mirror.bridge.model.Frame;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class WritabilityReporterTest {
    private static final PeerId PEER = new PeerId("west", 1);

    /** Records reports; optionally runs a callback inside each (as a decorator's listener refreshes its reporter). */
    private static final class Listener implements TransportListener {
        // Not copy-on-write: the stacked test records hundreds of thousands of reports (one deliverer at a time).
        final List<Boolean> reports = Collections.synchronizedList(new ArrayList<>());
        volatile Runnable inside = () -> { };

        @Override
        public void onFrame(PeerId from, Frame frame) {
        }

        @Override
        public void onWritabilityChanged(PeerId peer, boolean writable) {
            reports.add(writable);
            inside.run();
        }
    }

    /**
     * Two stacked transports, as {@link RateLimitedTransport} over {@link NettyTransport}: the outer reporter reads
     * the inner writability (which, answering false, notes it on the inner reporter) while the inner reporter's
     * listener refreshes the outer one. One thread polls the outer side, another flips the inner state; both must
     * finish (holding a reporter's lock while calling its listener deadlocked them, seen in the bench smoke test).
     */
    @Test
    void stackedReportersPolledAndRefreshedFromTwoThreadsDoNotDeadlock() throws Exception {
        AtomicBoolean innerWritable = new AtomicBoolean();
        Listener outerListener = new Listener();
        Listener innerListener = new Listener();
        WritabilityReporter[] inner = new WritabilityReporter[1];
        inner[0] = new WritabilityReporter(innerListener, p -> innerWritable.get());
        WritabilityReporter outer = new WritabilityReporter(outerListener, p -> {
            boolean w = innerWritable.get();
            if (!w) {
                inner[0].observedNotWritable(p);
            }
            return w;
        });
        innerListener.inside = () -> outer.refresh(PEER);

        int rounds = 200_000;
        Thread poller = new Thread(() -> {
            for (int i = 0; i < rounds; i++) {
                outer.observedNotWritable(PEER);
            }
        });
        Thread flipper = new Thread(() -> {
            for (int i = 0; i < rounds; i++) {
                innerWritable.set(i % 2 == 0);
                inner[0].refresh(PEER);
            }
        });
        poller.setDaemon(true);
        flipper.setDaemon(true);
        poller.start();
        flipper.start();
        poller.join(TimeUnit.SECONDS.toMillis(60));
        flipper.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(poller.isAlive()).as("poller deadlocked").isFalse();
        assertThat(flipper.isAlive()).as("flipper deadlocked").isFalse();

        innerWritable.set(true);
        inner[0].refresh(PEER);
        outer.refresh(PEER);
        assertThat(outerListener.reports).as("the last report is the current state").last().isEqualTo(true);
        assertAlternating(outerListener.reports);
        assertAlternating(innerListener.reports);
    }

    @Test
    void reportsQueuedByTheListenerItselfAreDeliveredAfterTheCurrentOneInOrder() {
        AtomicBoolean writable = new AtomicBoolean(true);
        Listener listener = new Listener();
        WritabilityReporter reporter = new WritabilityReporter(listener, p -> writable.get());
        listener.inside = () -> {
            if (listener.reports.size() == 1) {
                writable.set(false);
                reporter.refresh(PEER); // re-entrant: queued, delivered by the outer call once this one returns
                assertThat(listener.reports).containsExactly(true);
            }
        };
        reporter.refresh(PEER);
        assertThat(listener.reports).containsExactly(true, false);
        reporter.refresh(PEER);
        assertThat(listener.reports).as("no repeat").containsExactly(true, false);
    }

    /** Reports of one peer never repeat a value: true, false, true, ... starting with true (peers start false). */
    private static void assertAlternating(List<Boolean> reports) {
        for (int i = 0; i < reports.size(); i++) {
            assertThat(reports.get(i)).as("report %d", i).isEqualTo(i % 2 == 0);
        }
    }
}
