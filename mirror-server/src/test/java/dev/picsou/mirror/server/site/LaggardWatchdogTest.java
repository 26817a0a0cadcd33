package dev.picsou.mirror.server.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LaggardWatchdogTest {
    private static final long S = 1_000_000_000L;

    /** Three nodes, node 0 leads; the test sets what each reports. */
    private static final class ThreeNodes implements LaggardWatchdog.Site {
        final boolean[] running = {true, true, true};
        final boolean[] alive = {true, true, true};
        final long[] applied = {100, 100, 100};
        final long[] commit = {100, 100, 100};
        int leader = 0;
        final List<String> done = new ArrayList<>();

        @Override
        public int size() {
            return 3;
        }

        @Override
        public boolean isRunning(int i) {
            return running[i];
        }

        @Override
        public boolean isAlive(int i) {
            return alive[i];
        }

        @Override
        public int leaderIndex() {
            return leader;
        }

        @Override
        public long appliedIndex(int i) {
            return applied[i];
        }

        @Override
        public long commitIndex(int i) {
            return commit[i];
        }

        @Override
        public void restart(int i) {
            done.add("restart " + i);
            alive[i] = true;
        }

        @Override
        public void transferLeadership(int to) {
            done.add("leader -> " + to);
            leader = to;
        }

        @Override
        public String name() {
            return "test site";
        }
    }

    private static LaggardWatchdog watch(ThreeNodes site) {
        return new LaggardWatchdog(site, Duration.ofSeconds(10), 64);
    }

    @Test
    void aFollowerStuckFarBehindMakesTheLeaderHandOverToAnotherFollower() {
        ThreeNodes site = new ThreeNodes();
        LaggardWatchdog dog = watch(site);
        dog.check(0);
        for (long t = 1; t <= 9; t++) {
            site.applied[0] += 100;
            site.commit[0] += 100;
            site.applied[1] += 100;
            dog.check(t * S);
        }
        assertThat(site.done).as("not stuck for 10 s yet").isEmpty();

        site.applied[0] += 100;
        site.commit[0] += 100;
        site.applied[1] += 100;
        dog.check(10 * S);

        assertThat(site.done).containsExactly("leader -> 1");
        assertThat(dog.actions()).isEqualTo(1);
        dog.check(11 * S);
        assertThat(site.done).as("every follower gets the full time again after an action").hasSize(1);
    }

    @Test
    void aFollowerThatCatchesUpHoweverSlowlyIsLeftAlone() {
        ThreeNodes site = new ThreeNodes();
        LaggardWatchdog dog = watch(site);
        for (long t = 0; t <= 60; t++) {
            site.applied[0] += 100;
            site.commit[0] += 100;
            site.applied[1] += 100;
            site.applied[2] += 1;
            dog.check(t * S);
        }
        assertThat(site.done).isEmpty();
    }

    @Test
    void aStoppedNodeAndAFollowerOnlyALittleBehindAreLeftAlone() {
        ThreeNodes site = new ThreeNodes();
        site.running[2] = false;
        site.commit[0] = 150;
        LaggardWatchdog dog = watch(site);
        for (long t = 0; t <= 60; t++) {
            dog.check(t * S);
        }
        assertThat(site.done).isEmpty();
    }

    @Test
    void aServerThatShutItselfDownIsRestartedOnceItHasStayedDown() {
        ThreeNodes site = new ThreeNodes();
        site.alive[1] = false;
        LaggardWatchdog dog = watch(site);
        dog.check(0);
        dog.check(9 * S);
        assertThat(site.done).isEmpty();

        dog.check(10 * S);

        assertThat(site.done).containsExactly("restart 1");
    }

    @Test
    void withoutALeaderNobodyCountsAsStuck() {
        ThreeNodes site = new ThreeNodes();
        site.leader = -1;
        site.commit[0] = 10_000;
        LaggardWatchdog dog = watch(site);
        for (long t = 0; t <= 30; t++) {
            dog.check(t * S);
        }
        site.leader = 0;
        dog.check(31 * S);
        assertThat(site.done).as("the clock starts when a leader is there").isEmpty();
    }
}
