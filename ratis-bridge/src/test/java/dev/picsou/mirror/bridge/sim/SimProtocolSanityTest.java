package dev.picsou.mirror.bridge.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.picsou.mirror.bridge.baseline.Protocols;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every protocol on a fault-free link: everything delivered, nothing violated, the expected WAN cost. */
class SimProtocolSanityTest {

    static List<String> protocols() {
        return Protocols.names();
    }

    private static SimConfig faultFree(String protocol) {
        return SimConfig.builder().protocol(protocol).senders(4).receivers(4).entries(5000).seed(3).build();
    }

    @ParameterizedTest
    @MethodSource("protocols")
    void deliversEverythingWithoutViolationsOnAFaultFreeLink(String protocol) {
        SimResult result = SimAssertions.runClean(faultFree(protocol));
        assertThat(result.duplicatesApplied()).isZero();
        assertThat(result.throughputEntriesPerS()).isPositive();
        assertThat(result.latencyP99Ms()).isGreaterThanOrEqualTo(result.latencyP50Ms());
    }

    @Test
    void picsouSendsEachEntryAboutOnceAcrossTheWan() {
        SimResult result = SimAssertions.runClean(faultFree("picsou"));
        assertThat(result.wanCopiesPerEntry()).as(result::summary).isLessThanOrEqualTo(1.02);
        assertThat(result.maxAttempts()).as(result::summary).isLessThanOrEqualTo(2);
    }

    @Test
    void picsouSendsEachEntryOnceOnTheDefaultTwentyThousandEntryRun() {
        SimResult result = SimAssertions.runClean(SimConfig.builder().build());
        assertThat(result.wanCopiesPerEntry()).as(result::summary).isLessThanOrEqualTo(1.02);
    }

    @Test
    void allToAllSendsEveryEntryFromEverySenderToEveryReceiver() {
        SimResult result = SimAssertions.runClean(faultFree("ata"));
        // n_s * n_r transmissions per entry; a sender may skip copies of entries already QUACKed.
        assertThat(result.wanCopiesPerEntry()).as(result::summary).isGreaterThan(4.0).isLessThanOrEqualTo(16.0 * 1.02);
    }

    @Test
    void leaderToLeaderAndOneShotSendEachEntryOnce() {
        assertThat(SimAssertions.runClean(faultFree("ll")).wanCopiesPerEntry()).isLessThanOrEqualTo(1.02);
        assertThat(SimAssertions.runClean(faultFree("ost")).wanCopiesPerEntry()).isEqualTo(1.0);
    }

    @Test
    void otuSendsEachEntryToUrPlusOneReceivers() {
        SimResult result = SimAssertions.runClean(faultFree("otu"));
        assertThat(result.wanCopiesPerEntry()).as(result::summary).isBetween(2.0, 2.0 * 1.02);
    }
}
