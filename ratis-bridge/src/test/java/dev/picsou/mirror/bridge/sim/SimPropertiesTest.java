package dev.picsou.mirror.bridge.sim;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** The checker's properties hold for Picsou and the C3B baselines over random schedules. */
class SimPropertiesTest {

    @Provide
    Arbitrary<String> protocols() {
        return Arbitraries.of("picsou", "ata", "otu");
    }

    @Property(tries = 200)
    void everyEntryIsAppliedOnceInOrderAndNoQuackIsPremature(
            @ForAll("protocols") String protocol,
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 7) int senders,
            @ForAll @IntRange(min = 1, max = 7) int receivers,
            @ForAll @IntRange(min = 20, max = 200) int entries,
            @ForAll @DoubleRange(min = 0, max = 0.05) double loss,
            @ForAll @IntRange(min = 0, max = 3) int crashSenders,
            @ForAll @IntRange(min = 0, max = 3) int crashReceivers,
            @ForAll @IntRange(min = 0, max = 400) int partitionStartMs,
            @ForAll @IntRange(min = 0, max = 300) int partitionLengthMs,
            @ForAll @DoubleRange(min = 0, max = 5) double jitterMs) {
        SimConfig.Builder b = SimConfig.builder()
                .protocol(protocol)
                .senders(senders)
                .receivers(receivers)
                .entries(entries)
                .entryBytes(64)
                .oneWayDelayMs(5)
                .jitterMs(jitterMs)
                .loss(loss)
                .crashSenders(Math.min(crashSenders, (senders - 1) / 2))
                .crashReceivers(Math.min(crashReceivers, (receivers - 1) / 2))
                .rateEntriesPerS(2000)
                .maxSimSeconds(60)
                .seed(seed);
        if (partitionLengthMs > 0) {
            b.partition(partitionStartMs, partitionStartMs + partitionLengthMs);
        }
        SimConfig config = b.build();
        SimAssertions.assertClean(config, Simulation.run(config));
    }
}
