package dev.picsou.mirror.bridge.hook;

import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.storage.HookMetadata;
import dev.picsou.mirror.storage.StoredEntry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole data path on real Ratis: a 3-replica primary site whose user state machine is wrapped by the hook
 * streams to a 3-replica mirror site over the Picsou engines (in-memory transport), with RocksDB everywhere.
 */
class PrimaryMirrorLinkTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private TwoSites sites;

    @BeforeAll
    static void quiet() {
        HookTestLogging.quiet();
    }

    @AfterEach
    void tearDown() {
        if (sites != null) {
            sites.close();
        }
    }

    private void awaitMirrorDurable(long seq) {
        await().atMost(WAIT).untilAsserted(() -> {
            for (int i = 0; i < 3; i++) {
                assertThat(sites.mirrors[i].stateMachine().durableSeq()).as("mirror %d durable", i).isEqualTo(seq);
            }
        });
    }

    private void awaitOutboxesDrained(long seq) {
        await().atMost(WAIT).untilAsserted(() -> {
            for (int i = 0; i < 3; i++) {
                PrimaryLink link = sites.primaries[i].link();
                assertThat(link.quackedSeq()).as("primary %d QUACK", i).isEqualTo(seq);
                assertThat(link.outboxEntries()).as("primary %d outbox", i).isZero();
                assertThat(link.lagEntries()).isZero();
                HookMetadata m = sites.primaries[i].stateMachine().hookMetadata().orElseThrow();
                assertThat(m.quackedSeq()).isEqualTo(seq);
                assertThat(m.lastSeq()).isEqualTo(seq);
            }
        });
    }

    private HookMetadata hook(int i) {
        return sites.primaries[i].stateMachine().hookMetadata().orElseThrow();
    }

    /** The entries a replica numbered, by seq; asserts they are dense from the first one. */
    private static List<Entry> bySeq(List<Entry> observed) {
        List<Entry> copy;
        synchronized (observed) {
            copy = new ArrayList<>(observed);
        }
        for (int k = 1; k < copy.size(); k++) {
            assertThat(copy.get(k).seq()).isEqualTo(copy.get(k - 1).seq() + 1);
        }
        return copy;
    }

    private void assertMirrorHoldsExactly(List<Entry> committed) {
        List<StoredEntry> expected = committed.stream().map(Entries::toStored).toList();
        List<String> payloads = committed.stream()
                .map(e -> new String(e.payload(), StandardCharsets.UTF_8)).toList();
        for (int i = 0; i < 3; i++) {
            assertThat(sites.mirrorEntryLog(i)).as("mirror %d entry log", i).isEqualTo(expected);
            assertThat(sites.appliers[i].applied()).as("mirror %d applied, exactly once, in seq order", i)
                    .isEqualTo(payloads);
        }
        byte[] digest0 = sites.mirrors[0].stateMachine().store().kv().digest().sha256();
        assertThat(sites.mirrors[1].stateMachine().store().kv().digest().sha256()).isEqualTo(digest0);
        assertThat(sites.mirrors[2].stateMachine().store().kv().digest().sha256()).isEqualTo(digest0);
    }

    @Test
    void aStreamOfThousandsOfEntriesArrivesCompleteInOrderAndExactlyOnce() {
        sites = new TwoSites(dir, p -> { }, DurabilityPolicy.async());
        sites.startAll();
        int n = 3000;
        TwoSites.write(sites.eastClient(), 1, n, 0);
        awaitMirrorDurable(n);
        awaitOutboxesDrained(n);

        List<Entry> leaderView = bySeq(sites.observed[0]);
        assertThat(leaderView).hasSize(n);
        assertThat(leaderView.get(0).seq()).isEqualTo(1);
        for (int i = 1; i < 3; i++) {
            assertThat(bySeq(sites.observed[i])).as("replica %d numbers like replica 0", i).isEqualTo(leaderView);
        }
        assertMirrorHoldsExactly(leaderView);

        long firstSends = 0;
        long sends = 0;
        for (int i = 0; i < 3; i++) {
            PrimaryLinkMetrics m = sites.primaries[i].link().metrics();
            firstSends += m.entriesSent.getCount() - m.resends.getCount();
            sends += m.entriesSent.getCount();
            // A lagging replica may hear the QUACK of an entry before it commits it: no latency sample then.
            assertThat(m.quackLatency.getCount()).isBetween(1L, (long) n);
        }
        // Attempt 0 of each entry leaves its scheduled sender at most once; a sender lagging behind its peers skips
        // what the receivers already hold (another replica resent it meanwhile). Followers of this loaded in-process
        // site apply far behind their leader: before senders learnt each other's lateness and skipped what was
        // held, this run sent 1.6 copies per entry; now about 1.1.
        assertThat(firstSends).as("first transmissions").isLessThanOrEqualTo(n);
        assertThat(sends).as("all transmissions").isBetween((long) n, n * 13L / 10);
    }

    @Test
    void aStreamOverNettyOnLoopbackArrivesCompleteAndExactlyOnce() {
        sites = new TwoSites(dir, p -> { }, DurabilityPolicy.async(), TwoSites.Wire.NETTY);
        sites.startAll();
        int n = 1500;
        TwoSites.write(sites.eastClient(), 1, n, 100);
        awaitMirrorDurable(n);
        awaitOutboxesDrained(n);
        List<Entry> leaderView = bySeq(sites.observed[0]);
        assertThat(leaderView).hasSize(n);
        for (int i = 1; i < 3; i++) {
            assertThat(bySeq(sites.observed[i])).isEqualTo(leaderView);
        }
        assertMirrorHoldsExactly(leaderView);
    }

    @Test
    void aRestartedPrimaryFollowerResumesWithTheRightSeqAndNoDuplicatesOnTheMirror() {
        sites = new TwoSites(dir, p -> { }, DurabilityPolicy.async());
        sites.startAll();
        RaftClient client = sites.eastClient();
        TwoSites.write(client, 1, 500, 0);
        awaitMirrorDurable(500);

        int follower = (sites.east.awaitLeader() + 1) % 3;
        await().atMost(WAIT).until(() -> hook(follower).lastSeq() == 500);
        sites.stopPrimary(follower);
        TwoSites.write(client, 501, 1000, 0);
        awaitMirrorDurable(1000);

        sites.startPrimary(follower);
        await().atMost(WAIT).untilAsserted(() -> assertThat(hook(follower).lastSeq()).isEqualTo(1000));
        assertThat(sites.primaries[follower].stateMachine().replayedEntries())
                .as("the restart re-applied the first 500 without numbering them again").isEqualTo(500);
        writeThenAssertNumberedLikeTheOthers(client, follower, 1001, 1500, 501);
    }

    /**
     * Writes entries {@code from..last}, waits until they are QUACKed everywhere, and checks that {@code restarted}
     * numbered exactly the seqs another replica gave the same entries from {@code firstNumbered} on, and that the
     * mirror holds every entry once.
     */
    private void writeThenAssertNumberedLikeTheOthers(RaftClient client, int restarted, int from, int last,
                                                      int firstNumbered) {
        TwoSites.write(client, from, last, 0);
        awaitMirrorDurable(last);
        awaitOutboxesDrained(last);
        List<Entry> all = bySeq(sites.observed[(restarted + 1) % 3]);
        assertThat(all).hasSize(last);
        List<Entry> numbered = bySeq(sites.observed[restarted]);
        assertThat(numbered.get(0).seq()).isEqualTo(firstNumbered);
        assertThat(numbered).as("seqs the restarted replica assigned").isEqualTo(all.subList(firstNumbered - 1, last));
        assertMirrorHoldsExactly(all);
    }

    /**
     * The hook store writes no WAL: after a kill -9 it is its last flush, older than what the replica applied. The
     * replica then numbers the replayed entries again, with the same seqs, and the mirror still holds each once.
     * Emulated exactly: the store's directory is put back to a cleanly flushed copy from seq 300 while the replica
     * is down at seq 700.
     */
    @Test
    void aPrimaryFollowerWhoseHookStoreLostItsTailRenumbersTheReplayWithTheSameSeqs() throws Exception {
        sites = new TwoSites(dir, p -> { }, DurabilityPolicy.async());
        sites.startAll();
        RaftClient client = sites.eastClient();
        TwoSites.write(client, 1, 300, 0);
        awaitMirrorDurable(300);
        int follower = (sites.east.awaitLeader() + 1) % 3;
        await().atMost(WAIT).until(() -> hook(follower).lastSeq() == 300);
        Path store = dir.resolve("hook-e" + follower);
        Path flushedAt300 = dir.resolve("hook-e" + follower + "-at-300");
        sites.stopPrimary(follower);
        copyTree(store, flushedAt300);
        sites.startPrimary(follower);
        TwoSites.write(client, 301, 700, 0);
        awaitMirrorDurable(700);
        await().atMost(WAIT).until(() -> hook(follower).lastSeq() == 700);
        sites.stopPrimary(follower);
        StoreCheckpoints.deleteRecursively(store);
        copyTree(flushedAt300, store);

        sites.startPrimary(follower);
        await().atMost(WAIT).untilAsserted(() -> assertThat(hook(follower).lastSeq()).isEqualTo(700));
        assertThat(sites.primaries[follower].stateMachine().replayedEntries())
                .as("entries up to the store's last flush are skipped, the rest numbered again").isEqualTo(300);
        writeThenAssertNumberedLikeTheOthers(client, follower, 701, 1000, 301);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    @Test
    void aFollowerThatInstallsASnapshotKeepsTheSeqAndAnOutboxItCanResendFrom() {
        sites = new TwoSites(dir, MirrorStateMachineTest::snapshotFriendly, DurabilityPolicy.async());
        for (int i = 0; i < 3; i++) {
            sites.startPrimary(i);
        }
        int leader = sites.east.awaitLeader();
        int follower = (leader + 1) % 3;
        RaftClient client = sites.eastClient();
        TwoSites.write(client, 1, 300, 200);
        await().atMost(WAIT).until(() -> hook(follower).lastSeq() == 300);
        sites.stopPrimary(follower);
        TwoSites.write(client, 301, 900, 200);
        // Both running replicas snapshot and purge, so whichever leads can only catch the follower up with a
        // snapshot.
        for (int i = 0; i < 3; i++) {
            if (i == follower) {
                continue;
            }
            int node = i;
            RaftClientReply snap;
            try {
                snap = client.getSnapshotManagementApi(sites.east.peerId(node)).create(true, 30_000);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            assertThat(snap.isSuccess()).as("snapshot: %s", snap).isTrue();
            await().atMost(WAIT).untilAsserted(() -> assertThat(sites.east.division(node).getRaftLog()
                    .getStartIndex()).as("log purged").isGreaterThan(1));
        }

        sites.startPrimary(follower);
        Runnable caughtUp = () -> {
            assertThat(hook(follower).lastSeq()).isEqualTo(900);
            assertThat(sites.primaries[follower].link().committedSeq()).isEqualTo(900);
        };
        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(caughtUp::run);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // Ratis 3.2.2 race (cf. RATIS-1241): the leader's log appender may read a purged entry for the
            // returning follower, die, and not be restarted until the leadership changes. Change it.
            sites.stopPrimary(leader);
            sites.startPrimary(leader);
            await().atMost(WAIT).untilAsserted(caughtUp::run);
        }
        assertThat(sites.inner[follower].reinitializations()).as("installed a snapshot").isPositive();
        assertThat(sites.inner[follower].count()).isEqualTo(900);
        assertThat(sites.primaries[follower].link().outboxEntries()).as("nothing QUACKed yet: all in the outbox")
                .isEqualTo(900);
        assertThat(sites.primaries[follower].stateMachine().brokenReason()).isEmpty();
        assertThat(bySeq(sites.observed[follower])).as("seqs numbered after the install, if any")
                .allSatisfy(e -> assertThat(e.seq()).isGreaterThan(300));

        for (int i = 0; i < 3; i++) {
            sites.startMirror(i);
        }
        awaitMirrorDurable(900);
        TwoSites.write(client, 901, 1000, 200);
        awaitMirrorDurable(1000);
        awaitOutboxesDrained(1000);
        int neverRestarted = 3 - leader - follower;
        List<Entry> all = bySeq(sites.observed[neverRestarted]);
        assertThat(all).hasSize(1000);
        List<Entry> numberedByFollower = bySeq(sites.observed[follower]);
        assertThat(numberedByFollower).isEqualTo(all.subList((int) numberedByFollower.get(0).seq() - 1, 1000));
        assertMirrorHoldsExactly(all);
    }

    @Test
    void syncWritesCompleteOnlyOnceTheMirrorHoldsThemAndDegradeWhenItIsAway() throws Exception {
        sites = new TwoSites(dir, p -> { },
                DurabilityPolicy.sync(Duration.ofMillis(1500), DurabilityPolicy.OnTimeout.DEGRADE_TO_ASYNC));
        for (int i = 0; i < 3; i++) {
            sites.startPrimary(i);
        }
        int leader = sites.east.awaitLeader();
        RaftClient client = sites.eastClient();

        CompletableFuture<RaftClientReply> blocked = client.async().send(msg("away=1"));
        await().atMost(WAIT).until(() -> sites.primaries[leader].link().syncWaiting() == 1);
        assertThat(blocked).as("no mirror: the sync write waits").isNotDone();
        assertThat(blocked.get(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        assertThat(sites.primaries[leader].link().syncDegraded()).as("released by the degrade policy").isTrue();

        for (int i = 0; i < 3; i++) {
            sites.startMirror(i);
        }
        await().atMost(WAIT).until(() -> !sites.primaries[leader].link().syncDegraded());

        for (int k = 0; k < 20; k++) {
            RaftClientReply reply = client.io().send(msg("sync" + k + "=" + k));
            assertThat(reply.isSuccess()).isTrue();
            long seq = hook(leader).lastSeq();
            long holding = 0;
            for (int i = 0; i < 3; i++) {
                if (sites.mirrors[i].stateMachine().durableSeq() >= seq) {
                    holding++;
                }
            }
            assertThat(holding).as("mirror replicas holding seq %d when its write returned", seq)
                    .isGreaterThanOrEqualTo(2);
        }
        assertThat(sites.primaries[leader].link().syncWaiting()).isZero();
        awaitOutboxesDrained(21);
        assertThat(sites.observed[leader].stream().map(Entry::seq).collect(Collectors.toList()))
                .hasSize(21);
    }

    private static Message msg(String s) {
        return Message.valueOf(ByteString.copyFromUtf8(s));
    }
}
