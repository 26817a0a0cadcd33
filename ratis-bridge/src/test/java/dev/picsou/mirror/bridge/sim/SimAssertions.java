package dev.picsou.mirror.bridge.sim;

import static org.assertj.core.api.Assertions.assertThat;

/** Shared checks of simulation results; every failure message carries the seed and the whole configuration. */
final class SimAssertions {
    private SimAssertions() {
    }

    /** Runs {@code config} and asserts zero violations and every entry applied; returns the result. */
    static SimResult runClean(SimConfig config) {
        SimResult result = Simulation.run(config);
        assertClean(config, result);
        return result;
    }

    static void assertClean(SimConfig config, SimResult result) {
        assertThat(result.violationCount())
                .as(() -> "violations with seed " + config.seed() + "\n" + result.summary() + "\nconfig: "
                        + config.describe())
                .isZero();
        assertThat(result.delivered())
                .as(() -> "delivered with seed " + config.seed() + "\n" + result.summary() + "\nconfig: "
                        + config.describe())
                .isEqualTo(config.entries());
        assertThat(result.entries()).isEqualTo(config.entries());
    }

    /** A description of what went wrong, or null when {@code result} is clean. */
    static String problem(SimConfig config, SimResult result) {
        if (result.ok() && result.entries() == config.entries()) {
            return null;
        }
        return "seed " + config.seed() + ": " + result.summary() + "\n  config: " + config.describe();
    }
}
