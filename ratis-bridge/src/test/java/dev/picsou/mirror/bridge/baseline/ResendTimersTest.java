package dev.picsou.mirror.bridge.baseline;

import static dev.picsou.mirror.bridge.baseline.TestLinks.MS;
import static dev.picsou.mirror.bridge.baseline.TestLinks.link;
import static org.assertj.core.api.Assertions.assertThat;

import dev.picsou.mirror.bridge.model.AckFrame;
import dev.picsou.mirror.bridge.model.Mac;
import dev.picsou.mirror.bridge.model.PhiList;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

class ResendTimersTest {
    private final ResendTimers timers = new ResendTimers(link(1, 1).build());

    @Test
    void doublesTheTimeoutPerAttemptUpToTheMaximum() {
        assertThat(timers.timeoutNanos(0)).isEqualTo(50 * MS);
        assertThat(timers.timeoutNanos(1)).isEqualTo(100 * MS);
        assertThat(timers.timeoutNanos(3)).isEqualTo(400 * MS);
        assertThat(timers.timeoutNanos(1000)).isEqualTo(400 * MS);
    }

    @Test
    void expiresDueTimersEarliestFirstWithTheirAttempt() {
        timers.arm(5, 1, 0);
        timers.arm(3, 0, 10 * MS);
        timers.arm(4, 0, 0);

        assertThat(timers.nextDeadlineNanos()).isEqualTo(50 * MS);
        assertThat(timers.expire(60 * MS)).extracting(ResendTimers.Timer::seq).containsExactly(4L, 3L);
        assertThat(timers.expire(100 * MS)).singleElement()
                .satisfies(t -> assertThat(t.attempt()).isOne());
        assertThat(timers.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void cancelsWhatAnAckSaysIsHeld() {
        for (long seq = 1; seq <= 8; seq++) {
            timers.arm(seq, 0, 0);
        }
        BitSet phi = new BitSet();
        phi.set(1);
        phi.set(3);
        AckFrame ack = new AckFrame(1, 1, 0, 0, 3, 0, PhiList.of(phi, 4), Mac.NONE);

        timers.cancelHeldBy(ack);

        assertThat(timers.expire(Long.MAX_VALUE)).extracting(ResendTimers.Timer::seq)
                .containsExactly(4L, 5L, 7L);
    }
}
