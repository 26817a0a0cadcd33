package dev.picsou.mirror.bridge.hook;

import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.FencedFrame;
import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.picsou.ActionSink;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PicsouDriverTest {
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @Test
    void aQuietEventRunsBeforeTheNextWakingEventInSubmissionOrder() {
        try (PicsouDriver driver = new PicsouDriver("driver-test", (now, out) -> Long.MAX_VALUE, new NoSink(),
                System::nanoTime).start()) {
            for (int i = 0; i < 100; i++) {
                driver.submitQuietly(record("quiet-" + i));
                driver.submit(record("woken-" + i));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == 200);
            for (int i = 0; i < 100; i++) {
                assertThat(ran.get(2 * i)).isEqualTo("quiet-" + i);
                assertThat(ran.get(2 * i + 1)).isEqualTo("woken-" + i);
            }
        }
    }

    @Test
    void aQuietEventAloneStillRunsAtTheDriversNextTick() {
        try (PicsouDriver driver = new PicsouDriver("driver-test", (now, out) -> Long.MAX_VALUE, new NoSink(),
                System::nanoTime).start()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> driver.eventsProcessed() == 0);
            driver.submitQuietly(record("alone"));
            await().atMost(Duration.ofSeconds(10)).until(() -> ran.contains("alone"));
        }
    }

    private EngineEvent record(String name) {
        return (now, out) -> {
            ran.add(name);
            return Long.MAX_VALUE;
        };
    }

    private static final class NoSink implements ActionSink {
        @Override
        public boolean send(int peer, Frame frame) {
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
        }
    }
}
