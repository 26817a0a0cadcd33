package dev.picsou.mirror.bridge.picsou;

import dev.picsou.mirror.bridge.baseline.Protocols;

import java.util.List;
import java.util.function.LongPredicate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which committed entries wake a sender's driver: exactly one sender per entry where the schedule names it. */
class SendsPromptlyTest {

    @Test
    void underPicsouEachEntryWakesExactlyItsScheduledSender() {
        assertOneWakePerEntry(Picsou.INSTANCE, PicsouParams.builder(5, 5).build());
        assertOneWakePerEntry(Picsou.INSTANCE, PicsouParams.builder(4, 3)
                .senderStakes(List.of(3, 1, 1, 2)).build());
    }

    @Test
    void oneShotWakesTheSenderOfItsShareOnly() {
        assertOneWakePerEntry(Protocols.byName("ost"), PicsouParams.builder(3, 5).build());
    }

    @Test
    void protocolsWithoutAScheduleWakeEverySenderForEveryEntry() {
        PicsouParams params = PicsouParams.builder(3, 3).build();
        for (String name : List.of("ata", "ll", "otu")) {
            StreamProtocol protocol = Protocols.byName(name);
            for (int i = 0; i < 3; i++) {
                LongPredicate prompt = protocol.sendsPromptly(i, params);
                for (long seq = 1; seq <= 50; seq++) {
                    assertThat(prompt.test(seq)).as("%s sender %d, seq %d", name, i, seq).isTrue();
                }
            }
        }
    }

    private static void assertOneWakePerEntry(StreamProtocol protocol, PicsouParams params) {
        SendSchedule schedule = new SendSchedule(params);
        LongPredicate[] prompt = new LongPredicate[params.senders()];
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = protocol.sendsPromptly(i, params);
        }
        for (long seq = 1; seq <= 2_000; seq++) {
            int woken = 0;
            for (int i = 0; i < prompt.length; i++) {
                if (prompt[i].test(seq)) {
                    woken++;
                    assertThat(i).as("seq %d", seq).isEqualTo(schedule.sender(seq, 0));
                }
            }
            assertThat(woken).as("senders woken for seq %d", seq).isEqualTo(1);
        }
    }
}
