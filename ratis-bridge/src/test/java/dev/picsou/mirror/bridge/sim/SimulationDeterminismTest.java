package dev.picsou.mirror.bridge.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SimulationDeterminismTest {

    private static SimConfig faulty(String protocol, long seed) {
        return SimConfig.builder()
                .protocol(protocol)
                .senders(4)
                .receivers(4)
                .entries(2000)
                .entryBytes(256)
                .oneWayDelayMs(5)
                .jitterMs(3)
                .loss(0.01)
                .duplicate(0.01)
                .crashReceivers(1)
                .partition(40, 90)
                .restart(Side.SENDER, 1, 20, 120)
                .rateEntriesPerS(20_000)
                .seed(seed)
                .build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"picsou", "ata", "otu", "ll", "ost"})
    void sameSeedGivesAnEqualResult(String protocol) {
        SimResult first = Simulation.run(faulty(protocol, 7));
        SimResult second = Simulation.run(faulty(protocol, 7));
        assertThat(second).isEqualTo(first);
    }

    @Test
    void differentSeedsDifferInTiming() {
        SimResult a = Simulation.run(faulty("picsou", 1));
        SimResult b = Simulation.run(faulty("picsou", 2));
        assertThat(b.latencyP50Ms() != a.latencyP50Ms() || b.latencyP99Ms() != a.latencyP99Ms()
                || b.simulatedSeconds() != a.simulatedSeconds()).isTrue();
        assertThat(b.framesDropped()).isNotEqualTo(a.framesDropped());
    }

    @Test
    void sameSeedGivesEqualResultsWithoutAnyRandomFault() {
        SimConfig config = SimConfig.builder().entries(3000).seed(99).build();
        assertThat(Simulation.run(config)).isEqualTo(Simulation.run(config));
    }
}
