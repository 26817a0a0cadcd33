package dev.picsou.mirror.bridge.sim;

import org.junit.jupiter.api.Test;

class SimScratchTest {
    @Test
    void scratch() {
        for (String p : new String[] {"picsou", "ata", "ll", "otu", "ost"}) {
            long t0 = System.nanoTime();
            SimResult r = Simulation.run(SimConfig.builder().protocol(p).build());
            System.out.println(r.summary() + "\n  wall " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        }
    }
}
