package dev.picsou.mirror.bridge.baseline;

import static dev.picsou.mirror.bridge.baseline.TestLinks.link;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.picsou.PicsouParams;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxWindowTest {
    private final RecordingSink out = new RecordingSink();

    private OutboxWindow windowWith(PicsouParams params, int entries, int payloadBytes) {
        OutboxWindow window = new OutboxWindow(params, 0);
        for (long seq = 1; seq <= entries; seq++) {
            window.add(Entry.of(1, seq, 1, seq, new byte[payloadBytes]), out);
        }
        return window;
    }

    @Test
    void quacksOnlyOnceReceiverUPlusOneReceiversAckDurable() {
        OutboxWindow window = windowWith(link(3, 5).build(), 10, 10);

        window.recordAck(0, 9, out);
        window.recordAck(1, 7, out);
        assertThat(out.quacked).isEmpty();

        assertThat(window.recordAck(4, 8, out)).isTrue();
        assertThat(out.quacked).containsExactly(7L);
        assertThat(window.quackedSeq()).isEqualTo(7);
        assertThat(window.entry(7)).isNull();
        assertThat(window.entry(8)).isNotNull();
    }

    @Test
    void neverLowersAReceiversAckNorRepeatsAQuack() {
        OutboxWindow window = windowWith(link(1, 3).build(), 10, 10);
        window.recordAck(0, 6, out);
        window.recordAck(1, 6, out);

        assertThat(window.recordAck(0, 2, out)).isFalse();
        assertThat(window.recordAck(1, 6, out)).isFalse();
        assertThat(window.durableOf(0)).isEqualTo(6);
        assertThat(out.quacked).containsExactly(6L);
    }

    @Test
    void weighsAcksByStake() {
        PicsouParams staked = link(1, 4).receiverStakes(List.of(3, 1, 1, 1)).receiverFaults(2, 0).build();
        OutboxWindow window = windowWith(staked, 10, 10);

        window.recordAck(1, 10, out);
        window.recordAck(2, 10, out);
        assertThat(window.quackedSeq()).isZero();

        window.recordAck(0, 4, out);
        assertThat(out.quacked).containsExactly(4L);
    }

    @Test
    void admitsAtMostWindowEntriesPastTheQuack() {
        OutboxWindow window = windowWith(link(1, 1).windowEntries(4).build(), 10, 10);

        assertThat(window.admit()).extracting(Entry::seq).containsExactly(1L, 2L, 3L, 4L);
        assertThat(window.admit()).isEmpty();

        window.recordAck(0, 3, out);
        assertThat(window.admit()).extracting(Entry::seq).containsExactly(5L, 6L, 7L);
        assertThat(window.inFlight()).extracting(Entry::seq).containsExactly(4L, 5L, 6L, 7L);
    }

    @Test
    void admitsAtMostWindowBytesButAlwaysOneEntry() {
        OutboxWindow window = windowWith(link(1, 1).windowBytes(250).build(), 5, 100);
        assertThat(window.admit()).hasSize(2);

        OutboxWindow huge = windowWith(link(1, 1).windowBytes(50).build(), 3, 100);
        assertThat(huge.admit()).extracting(Entry::seq).containsExactly(1L);
        huge.recordAck(0, 1, out);
        assertThat(huge.admit()).extracting(Entry::seq).containsExactly(2L);
    }

    @Test
    void handsOutEverythingUnquackedAgainAfterARestart() {
        OutboxWindow window = windowWith(link(1, 1).build(), 6, 10);
        window.admit();
        window.recordAck(0, 2, out);

        window.restartFromQuacked();
        assertThat(window.admit()).extracting(Entry::seq).containsExactly(3L, 4L, 5L, 6L);
    }

    @Test
    void neverQuacksPastItsOwnCommittedPrefix() {
        OutboxWindow window = windowWith(link(1, 1).build(), 3, 10);

        window.recordAck(0, 8, out);
        assertThat(window.quackedSeq()).isEqualTo(3);

        window.add(Entry.of(1, 4, 1, 4, new byte[1]), out);
        assertThat(out.quacked).containsExactly(3L, 4L);
        assertThat(window.entry(4)).isNull();
    }

    @Test
    void startsFromTheRecoveredQuackAndRejectsGaps() {
        OutboxWindow window = new OutboxWindow(link(1, 1).build(), 7);
        assertThat(window.quackedSeq()).isEqualTo(7);

        assertThatThrownBy(() -> window.add(Entry.of(1, 9, 1, 9, new byte[1]), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 8, got 9");
    }
}
