package dev.picsou.mirror.bridge.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.picsou.mirror.bridge.sim.CampaignConfigs.Mix;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The seeded simulation campaign: for each fault mix, {@code picsou.campaign.seeds} random small configurations
 * (default 1000) for Picsou and a tenth as many for the ATA and OTU baselines, each required to apply every entry
 * with no violation. A failure names every failing seed and its full configuration; rerun one with
 * {@code CampaignConfigs.random(protocol, mix, seed)}.
 */
class SimCampaignTest {
    private static final int SEEDS = Integer.getInteger("picsou.campaign.seeds", 1000);

    @ParameterizedTest
    @EnumSource(Mix.class)
    void picsouSurvivesEveryFaultMix(Mix mix) {
        campaign("picsou", mix, SEEDS);
    }

    @ParameterizedTest
    @EnumSource(Mix.class)
    void allToAllSurvivesEveryFaultMix(Mix mix) {
        campaign("ata", mix, Math.max(1, SEEDS / 10));
    }

    @ParameterizedTest
    @EnumSource(Mix.class)
    void otuSurvivesEveryFaultMix(Mix mix) {
        campaign("otu", mix, Math.max(1, SEEDS / 10));
    }

    private static void campaign(String protocol, Mix mix, int seeds) {
        List<String> failures = LongStream.rangeClosed(1, seeds)
                .parallel()
                .mapToObj(seed -> {
                    SimConfig config = CampaignConfigs.random(protocol, mix, seed);
                    return SimAssertions.problem(config, Simulation.run(config));
                })
                .filter(Objects::nonNull)
                .collect(Collectors.toList());
        assertThat(failures)
                .as(() -> failures.size() + " of " + seeds + " " + protocol + " runs failed in mix " + mix
                        + "; reproduce with CampaignConfigs.random(\"" + protocol + "\", Mix." + mix
                        + ", seed). First failures:\n" + failures.stream().limit(5).collect(Collectors.joining("\n")))
                .isEmpty();
    }
}
