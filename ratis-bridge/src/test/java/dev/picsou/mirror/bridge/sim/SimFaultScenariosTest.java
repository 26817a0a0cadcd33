package dev.picsou.mirror.bridge.sim;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Named fault scenarios that every C3B protocol must survive with every entry applied and no violation. */
class SimFaultScenariosTest {

    /** 4+4 replicas streaming 3000 entries of 512 B at 20,000 entries/s (150 ms), 10 ms one way. */
    private static SimConfig.Builder base(String protocol) {
        return SimConfig.builder()
                .protocol(protocol)
                .senders(4)
                .receivers(4)
                .entries(3000)
                .entryBytes(512)
                .oneWayDelayMs(10)
                .rateEntriesPerS(20_000)
                .maxSimSeconds(120)
                .seed(11);
    }

    @ParameterizedTest
    @ValueSource(strings = {"picsou", "ata", "otu"})
    void survivesACrashedSenderACrashedReceiverAndOnePercentLoss(String protocol) {
        SimAssertions.runClean(base(protocol).crashSenders(1).crashReceivers(1).loss(0.01).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"picsou", "ata", "otu"})
    void deliversEverythingOncePartitionsHeal(String protocol) {
        SimAssertions.runClean(base(protocol).partition(30, 80).partition(120, 400).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"picsou", "ata", "otu"})
    void recoversASenderThatCrashesAndRestartsMidStream(String protocol) {
        SimAssertions.runClean(base(protocol).restart(Side.SENDER, 1, 40, 300).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"picsou", "ata", "otu"})
    void recoversTheSendingLeaderCrashingAndRestartingMidStream(String protocol) {
        SimAssertions.runClean(base(protocol).restart(Side.SENDER, 0, 40, 300).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"picsou", "ata", "otu"})
    void recoversAReceiverThatCrashesAndRestartsMidStream(String protocol) {
        SimAssertions.runClean(base(protocol).restart(Side.RECEIVER, 2, 40, 300).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"picsou", "ata", "otu"})
    void toleratesDuplicationAndJitterReordering(String protocol) {
        SimAssertions.runClean(base(protocol).duplicate(0.05).jitterMs(8).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"picsou", "ata", "otu"})
    void toleratesSkewedSendersAndASaturatingSource(String protocol) {
        SimAssertions.runClean(base(protocol).rateEntriesPerS(0).senderSkewMs(5).loss(0.005).build());
    }

    static List<Arguments> byzantineCases() {
        List<Arguments> out = new ArrayList<>();
        for (String protocol : List.of("picsou", "ata", "otu")) {
            for (ByzantineMode mode : ByzantineMode.values()) {
                out.add(Arguments.of(protocol, mode));
            }
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("byzantineCases")
    void toleratesAByzantineReceiverOnABftSite(String protocol, ByzantineMode mode) {
        SimAssertions.runClean(base(protocol)
                .receiverFaults(1, 1)
                .byzantineReceivers(1)
                .byzantineMode(mode)
                .build());
    }

    @ParameterizedTest
    @MethodSource("byzantineCases")
    void toleratesAByzantineReceiverWithLossOnABftSite(String protocol, ByzantineMode mode) {
        SimAssertions.runClean(base(protocol)
                .receiverFaults(1, 1)
                .byzantineReceivers(1)
                .byzantineMode(mode)
                .loss(0.01)
                .seed(5)
                .build());
    }
}
