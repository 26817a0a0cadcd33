package dev.picsou.mirror.bridge.picsou;

import static dev.picsou.mirror.bridge.picsou.CoreFixtures.MS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.picsou.mirror.bridge.picsou.MiniLink.Transmission;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The crash takeover (docs/protocol.md): 4 + 4 replicas on a {@link MiniLink} (10 ms one way, one entry committed per
 * ms), a reorder grace of 100 ms so that the slow path is easy to tell from the takeover.
 */
class CrashTakeoverTest {
    private static final long GRACE = 100 * MS;

    private static PicsouParams params(int windowEntries) {
        return PicsouParams.builder(4, 4).batchDelayNanos(0).reorderGraceNanos(GRACE).ackIntervalNanos(2 * MS)
                .windowEntries(windowEntries).build();
    }

    @Test
    void crashedSendersShareGoesOutFromTheNextSenderAtStreamPaceOnceItIsSuspected() {
        PicsouParams p = params(1024);
        SendSchedule schedule = new SendSchedule(p);
        SenderSuspicion rules = new SenderSuspicion(p, schedule, 0);
        MiniLink link = new MiniLink(p, 2000, 10 * MS);
        link.crash(3);
        link.runUntil(2500 * MS);

        for (int s = 0; s < 3; s++) {
            assertThat(link.senders[s].suspectedSenders()).as("sender %d", s).containsExactly(3);
            assertThat(link.senders[s].toString()).contains("suspected=[3]", "takeovers=");
        }
        assertThat(link.holdsThrough(2000)).isTrue();
        // Before the suspicion: replica 3's share waits for the loss detection (the reorder grace, at least).
        assertThat(link.of(3)).singleElement().satisfies(t -> {
            assertThat(t.attempt()).isEqualTo(1);
            assertThat(t.atNanos()).isGreaterThanOrEqualTo(3 * MS + GRACE);
        });
        // After it: replica 3's share leaves from the sender of attempt 1 the moment it is committed, once.
        int checked = 0;
        for (long seq = 1503; seq <= 2000; seq += 4) {
            if (rules.probe(seq)) {
                continue;
            }
            long committedAt = seq * MS;
            int taker = schedule.sender(seq, 1);
            assertThat(link.of(seq)).as("seq %d", seq).singleElement()
                    .isEqualTo(new Transmission(committedAt, taker, schedule.receiver(seq, 0), seq, 1));
            checked++;
        }
        assertThat(checked).isGreaterThan(100);
        long takeovers = 0;
        for (int s = 0; s < 3; s++) {
            takeovers += link.senders[s].takeovers();
        }
        assertThat(takeovers).isGreaterThanOrEqualTo(checked);
    }

    @Test
    void aSuspectedSenderThatComesBackIsClearedAndTheExtraCopiesStop() {
        PicsouParams p = params(256);
        long probeEntries = SenderSuspicion.probeRounds(p) * p.senders();
        MiniLink link = new MiniLink(p, 5000, 10 * MS);
        link.runUntil(300 * MS);
        link.crash(3);
        link.runUntil(1500 * MS);
        for (int s = 0; s < 3; s++) {
            assertThat(link.senders[s].suspectedSenders()).as("sender %d while 3 is down", s).containsExactly(3);
        }

        link.restart(3);
        // Within a probe period of coming back (plus the window it passes over and a round trip), it is cleared.
        link.runUntil(1500 * MS + (p.windowEntries() + 2 * probeEntries) * MS);
        long clearedAt = link.now();
        for (int s = 0; s < 4; s++) {
            assertThat(link.senders[s].suspectedSenders()).as("sender %d after 3 came back", s).isEmpty();
        }
        long[] takeoversThen = new long[4];
        for (int s = 0; s < 4; s++) {
            takeoversThen[s] = link.senders[s].takeovers();
        }
        link.runUntil(5500 * MS);

        assertThat(link.holdsThrough(5000)).isTrue();
        for (int s = 0; s < 4; s++) {
            assertThat(link.senders[s].takeovers()).as("takeovers of sender %d", s).isEqualTo(takeoversThen[s]);
        }
        List<Long> notOnce = new ArrayList<>();
        for (long seq = clearedAt / MS + 50; seq <= 5000; seq++) {
            if (link.of(seq).size() != 1) {
                notOnce.add(seq);
            }
        }
        assertThat(notOnce).as("entries not sent exactly once after the clearance").isEmpty();
    }

    @Test
    void nothingIsLostWhileSendersDisagreeAboutASuspect() {
        PicsouParams p = params(1024);
        MiniLink link = new MiniLink(p, 3000, 10 * MS);
        link.crash(3);
        link.slowAcksTo(2, 60 * MS);
        boolean disagreed = false;
        while (link.now() < 3500 * MS) {
            link.runUntil(link.now() + 5 * MS);
            disagreed |= link.senders[0].suspectedSenders().contains(3)
                    && !link.senders[2].suspectedSenders().contains(3);
        }

        assertThat(disagreed).as("sender 0 suspected 3 while sender 2 did not yet").isTrue();
        assertThat(link.holdsThrough(3000)).isTrue();
        for (int s = 0; s < 3; s++) {
            assertThat(link.senders[s].quackedSeq()).as("sender %d's QUACK", s).isEqualTo(3000);
        }
        assertThat((double) link.transmissions.size() / 3000).as("copies per entry").isLessThan(1.1);
    }
}
