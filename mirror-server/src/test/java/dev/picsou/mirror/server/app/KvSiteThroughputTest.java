package dev.picsou.mirror.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.picsou.mirror.server.site.LocalSite;
import dev.picsou.mirror.server.site.LocalSiteConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The throughput of a 3-node {@link KvStateMachine} site in one JVM: 100 writes in flight, 100-byte values, for
 * {@code picsou.bench.seconds} (default 10) after a 3 s warm-up. Prints a progress line a second and the result.
 * With {@code -Dpicsou.bench.sm=base} the nodes run Ratis's {@code BaseStateMachine} instead (no RocksDB), for
 * comparison. Skipped unless {@code -Dpicsou.bench=true}:
 * <pre>
 * mvn -q -o -pl mirror-server test -Dtest=KvSiteThroughputTest -Dpicsou.bench=true
 * </pre>
 */
@EnabledIfSystemProperty(named = "picsou.bench", matches = "true")
class KvSiteThroughputTest {

    @TempDir
    Path dir;

    @Test
    void measuresOpsPerSecondWithAHundredInFlight() throws Exception {
        long seconds = Long.getLong("picsou.bench.seconds", 10);
        boolean bare = "base".equals(System.getProperty("picsou.bench.sm"));
        LocalSiteConfig config = LocalSiteConfig.defaults("kv-bench", dir);
        try (LocalSite site = bare ? new LocalSite(config, node -> new BaseStateMachine()) : KvSites.kvSite(config)) {
            site.start();
            LoadGenerator.Settings base = LoadGenerator.Settings.forDuration(Duration.ofSeconds(3))
                    .withMaxInFlight(100).withValueBytes(100).withKeySpace(100_000).withDeleteFraction(0);
            new LoadGenerator(site.client(), base.withSeed(99)).run();

            LoadGenerator.Settings measured = new LoadGenerator.Settings(100, 100_000, 100, 0, 1, Long.MAX_VALUE,
                    Duration.ofSeconds(seconds));
            LoadGenerator generator = new LoadGenerator(site.client(), measured).start();
            for (long s = 0; s < seconds; s++) {
                TimeUnit.SECONDS.sleep(1);
                System.out.println("[bench] " + generator.progressLine());
            }
            LoadGenerator.Result result = generator.awaitCompletion(Duration.ofSeconds(60));
            System.out.println("[bench] 3-node " + (bare ? "BaseStateMachine" : "KvStateMachine")
                    + " site, 100 in flight, 100 B values, " + seconds
                    + " s: " + result.summary());
            assertThat(result.failed()).isZero();
            assertThat(result.opsPerSecond()).isPositive();
        }
    }
}
