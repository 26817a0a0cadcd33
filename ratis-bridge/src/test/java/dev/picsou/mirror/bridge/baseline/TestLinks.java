package dev.picsou.mirror.bridge.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.picsou.mirror.bridge.picsou.PicsouParams;
import java.util.HashSet;
import java.util.List;
import java.util.stream.LongStream;

/** Link parameters with short timings, and the stream checks every baseline test makes. */
final class TestLinks {
    static final long MS = 1_000_000L;

    private TestLinks() {
    }

    /** CFT sites of the given sizes; 1 ms batches, 2 ms acks, retransmission after 50 ms (backoff up to 400 ms). */
    static PicsouParams.Builder link(int senders, int receivers) {
        return PicsouParams.builder(senders, receivers)
                .batchDelayNanos(MS)
                .ackIntervalNanos(2 * MS)
                .ackEveryEntries(16)
                .initialRetransmitTimeoutNanos(50 * MS)
                .minRetransmitTimeoutNanos(10 * MS)
                .maxRetransmitTimeoutNanos(400 * MS);
    }

    /** The receiving site committed every entry 1..lastSeq and no receiver delivered any entry twice. */
    static void assertEveryEntryDeliveredOnce(LinkHarness h) {
        assertThat(h.siteLog).containsExactlyElementsOf(
                LongStream.rangeClosed(1, h.lastSeq()).boxed().toList());
        assertThat(h.siteDurable).isEqualTo(h.lastSeq());
        h.deliveredBy.forEach((receiver, seqs) -> assertThat(new HashSet<>(seqs))
                .as("receiver %d delivers each entry at most once", receiver)
                .hasSameSizeAs(seqs));
    }

    /** Every live sender listed QUACKed the whole stream. */
    static void assertQuackedEverything(LinkHarness h, List<Integer> senders) {
        for (int i : senders) {
            assertThat(h.senders[i].quackedSeq()).as("quackedSeq of sender %d", i).isEqualTo(h.lastSeq());
            assertThat(h.highestQuack(i)).as("last quacked() of sender %d", i).isEqualTo(h.lastSeq());
        }
    }
}
