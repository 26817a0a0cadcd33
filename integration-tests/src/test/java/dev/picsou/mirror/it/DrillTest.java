package dev.picsou.mirror.it;

import dev.picsou.mirror.server.drill.DrillRunner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The disaster-recovery rehearsal of {@code picsou drill}, end to end with six node processes: planned switchovers
 * lose nothing, a failover after kill -9 of a sync primary loses no acknowledged write, every rejoin rewinds rather
 * than copies, and every node ends with the same state. (RTO is a timing figure: the drill reports it, this test does
 * not judge it.)
 */
class DrillTest {

    @Test
    void drillLosesNoAcknowledgedSyncWriteAndEndsWithEqualStateEverywhere(@TempDir Path dir) throws Exception {
        Map<String, Object> report = new DrillRunner(new DrillRunner.Settings(dir, 3, Duration.ofSeconds(3), 16, 64),
                System.out).run();

        assertThat(report.get("switchover_lost_entries")).isEqualTo(0L);
        assertThat(((Map<?, ?>) report.get("sync_round")).get("acked_writes")).as("sync writes acknowledged")
                .isNotEqualTo(0L);
        assertThat(report.get("rpo_entries_sync")).isEqualTo(0L);
        assertThat((Long) report.get("rpo_entries_async")).isGreaterThanOrEqualTo(0L);
        assertThat(report.get("verify_ok")).isEqualTo(true);
        assertThat((Long) report.get("failback_bytes_copied")).isLessThan((Long) report.get("full_snapshot_bytes"));
        assertThat(((Map<?, ?>) report.get("sync_round")).get("rejoin_full_copy")).isEqualTo(false);
        assertThat(((Map<?, ?>) report.get("async_round")).get("rejoin_full_copy")).isEqualTo(false);
        assertThat((Long) report.get("rto_ms")).isPositive();
    }
}
