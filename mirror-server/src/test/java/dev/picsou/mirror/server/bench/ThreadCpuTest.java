package dev.picsou.mirror.server.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ThreadCpuTest {

    @Test
    void threadsOfOneRoleFallIntoOneGroupWhateverTheirNumbersAndRaftGroup() {
        assertThat(ThreadCpu.group("dc-primary-n3@group-96B5FA9C5778-StateMachineUpdater"))
                .isEqualTo("dc-primary-n#-StateMachineUpdater")
                .isEqualTo(ThreadCpu.group("dc-primary-n1@group-0B45E841EC32-StateMachineUpdater"));
        assertThat(ThreadCpu.group("picsou-primary-dc-primary-4")).isEqualTo("picsou-primary-dc-primary-#");
    }

    @Test
    void percentsAreTheGroupsTimeOverTheWindowLargestFirstAndSmallOnesLeftOut() {
        ThreadCpu.Snapshot before = new ThreadCpu.Snapshot(Map.of(1L, 100L, 2L, 0L, 3L, 0L),
                Map.of(1L, "a-#", 2L, "a-#", 3L, "tiny"));
        ThreadCpu.Snapshot after = new ThreadCpu.Snapshot(Map.of(1L, 300L, 2L, 200L, 3L, 1L, 4L, 600L),
                Map.of(1L, "a-#", 2L, "a-#", 3L, "tiny", 4L, "new"));

        Map<String, Double> percent = ThreadCpu.percentByGroup(before, after, 1_000);

        assertThat(percent).containsExactly(Map.entry("new", 60.0), Map.entry("a-#", 40.0));
    }

    @Test
    void aSnapshotSeesTheTimeThisThreadSpends() {
        ThreadCpu.Snapshot before = ThreadCpu.take();
        long spin = System.nanoTime() + 50_000_000L;
        long x = 0;
        while (System.nanoTime() < spin) {
            x += System.nanoTime() & 1;
        }
        ThreadCpu.Snapshot after = ThreadCpu.take();
        long id = Thread.currentThread().getId();
        assertThat(after.nanos().get(id) - before.nanos().get(id)).as("spun %d", x).isGreaterThan(10_000_000L);
    }
}
