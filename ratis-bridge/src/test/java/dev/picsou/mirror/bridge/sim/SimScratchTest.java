package dev.picsou.mirror.bridge.sim;

import org.junit.jupiter.api.Test;

class SimScratchTest {
    @Test
    void scratch() {
        for (long graceMs : new long[] {3, 10, 20, 50, 100}) {
            SimConfig base = SimConfig.builder().build();
            SimConfig c = base.toBuilder().params(base.derivedParams().toBuilder().reorderGraceNanos(graceMs * 1_000_000).build()).build();
            long t0 = System.nanoTime();
            SimResult r = Simulation.run(c);
            System.out.println("grace " + graceMs + ": " + r.summary() + "\n  wall " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        }
    }
}
