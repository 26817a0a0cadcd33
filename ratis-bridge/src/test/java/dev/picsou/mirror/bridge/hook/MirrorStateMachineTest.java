package dev.picsou.mirror.bridge.hook;

import com.codahale.metrics.MetricRegistry;
import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.storage.StoreCursor;
import dev.picsou.mirror.storage.StoredEntry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.SizeInBytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The mirror state machine on a real 3-replica Ratis group with real RocksDB stores, fed by direct proposals of
 * ingest batches (the way {@link EntryIngestor}s of different replicas would propose them).
 */
class MirrorStateMachineTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private RatisTestSite site;
    private final MirrorStateMachine[] sms = new MirrorStateMachine[3];
    private final KvTestApplier[] appliers = new KvTestApplier[3];
    private final MirrorStateMachineMetrics[] metrics = new MirrorStateMachineMetrics[3];
    private final List<RaftClient> clients = new ArrayList<>();

    @BeforeAll
    static void quiet() {
        HookTestLogging.quiet();
    }

    private void startSite(boolean snapshotFriendly) {
        site = new RatisTestSite("w", 3, dir, p -> {
            if (snapshotFriendly) {
                snapshotFriendly(p);
            }
        });
        for (int i = 0; i < 3; i++) {
            startReplica(i);
        }
        site.awaitLeader();
    }

    static void snapshotFriendly(RaftProperties p) {
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf("16KB"));
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgeGap(p, 1);
    }

    private void startReplica(int i) {
        appliers[i] = new KvTestApplier();
        metrics[i] = new MirrorStateMachineMetrics(new MetricRegistry());
        sms[i] = new MirrorStateMachine("west", dir.resolve("store-w" + i), 1, appliers[i], MirrorApplyListener.NONE,
                metrics[i]);
        site.start(i, sms[i]);
    }

    @AfterEach
    void tearDown() throws IOException {
        for (RaftClient c : clients) {
            c.close();
        }
        if (site != null) {
            site.close();
        }
    }

    private RaftClient client() {
        RaftClient c = site.newClient();
        clients.add(c);
        return c;
    }

    private static Entry entry(long seq) {
        return Entry.of(1, seq, 1, 100 + seq, KvTestApplier.payload("k" + seq, "v" + seq));
    }

    private static RaftClientReply propose(RaftClient client, long... seqs) throws IOException {
        List<Entry> batch = LongStream.of(seqs).mapToObj(MirrorStateMachineTest::entry).toList();
        RaftClientReply reply = client.io().send(Message.valueOf(ByteString.copyFrom(IngestBatchCodec.encode(batch))));
        assertThat(reply.isSuccess()).as("proposal of %s", Arrays.toString(seqs)).isTrue();
        return reply;
    }

    private static long[] range(long from, long to) {
        return LongStream.rangeClosed(from, to).toArray();
    }

    private void awaitDurable(long seq) {
        await().atMost(WAIT).untilAsserted(() -> {
            for (MirrorStateMachine sm : sms) {
                assertThat(sm.durableSeq()).isEqualTo(seq);
            }
        });
    }

    private static List<Long> entryLog(MirrorStateMachine sm) {
        List<Long> seqs = new ArrayList<>();
        try (StoreCursor<StoredEntry> c = sm.store().entries().cursor(0)) {
            while (c.hasNext()) {
                StoredEntry e = c.next();
                assertThat(e).isEqualTo(Entries.toStored(entry(e.seq())));
                seqs.add(e.seq());
            }
        }
        return seqs;
    }

    private static List<String> expectedPayloads(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(s -> "k" + s + "=v" + s).toList();
    }

    @Test
    void duplicateProposalsOfTheSameSeqByTwoReplicasAreAppliedOnce() throws IOException {
        startSite(false);
        RaftClient a = client();
        RaftClient b = client();
        propose(a, range(1, 10));
        propose(b, range(1, 10));
        propose(b, range(5, 15));
        propose(a, 3, 15, 7);
        awaitDurable(15);
        for (int i = 0; i < 3; i++) {
            assertThat(appliers[i].applied()).as("replica %d applied", i).isEqualTo(expectedPayloads(1, 15));
            assertThat(entryLog(sms[i])).isEqualTo(LongStream.rangeClosed(1, 15).boxed().toList());
            assertThat(metrics[i].duplicates.getCount()).isEqualTo(10 + 6 + 3);
        }
    }

    @Test
    void earlyEntriesWaitInThePendingSetUntilTheGapFills() throws IOException {
        startSite(false);
        RaftClient c = client();
        propose(c, 4, 5);
        propose(c, 2);
        await().atMost(WAIT).untilAsserted(() -> {
            for (MirrorStateMachine sm : sms) {
                assertThat(sm.store().pending().count()).isEqualTo(3);
                assertThat(sm.durableSeq()).isZero();
            }
        });
        MirrorQueries.Status status =
                MirrorQueries.parseStatus(c.io().sendReadOnly(MirrorQueries.status()).getMessage());
        assertThat(status.pendingEntries()).isEqualTo(3);
        assertThat(status.durableSeq()).isZero();

        propose(c, 3, 1);
        awaitDurable(5);
        for (int i = 0; i < 3; i++) {
            assertThat(appliers[i].applied()).isEqualTo(expectedPayloads(1, 5));
            assertThat(sms[i].store().pending().isEmpty()).isTrue();
            assertThat(entryLog(sms[i])).containsExactly(1L, 2L, 3L, 4L, 5L);
        }
    }

    @Test
    void aCorruptBatchIsSkippedAndTheStreamGoesOn() throws IOException {
        startSite(false);
        RaftClient c = client();
        RaftClientReply garbage = c.io().send(Message.valueOf(ByteString.copyFromUtf8("not an ingest batch")));
        assertThat(garbage.isSuccess()).isTrue();
        Entry bad = Entry.of(1, 1, 1, 1, KvTestApplier.payload("x", "y"));
        Entry flipped = new Entry(bad.epoch(), bad.seq(), bad.raftTerm(), bad.raftIndex(), bad.payload(),
                bad.crc32c() ^ 1);
        c.io().send(Message.valueOf(ByteString.copyFrom(IngestBatchCodec.encode(List.of(flipped)))));
        propose(c, 1, 2);
        awaitDurable(2);
        for (int i = 0; i < 3; i++) {
            assertThat(metrics[i].invalidBatches.getCount()).isEqualTo(2);
            assertThat(appliers[i].applied()).isEqualTo(expectedPayloads(1, 2));
        }
    }

    @Test
    void aRestartedReplicaSkipsTheBatchesItAppliedBefore() throws IOException {
        startSite(false);
        RaftClient c = client();
        propose(c, range(1, 20));
        propose(c, range(15, 30));
        awaitDurable(30);
        site.stop(2);
        startReplica(2);
        propose(c, range(31, 32));
        awaitDurable(32);
        assertThat(appliers[2].applied()).as("the restarted replica re-applies nothing").isEqualTo(
                expectedPayloads(31, 32));
        assertThat(entryLog(sms[2])).isEqualTo(LongStream.rangeClosed(1, 32).boxed().toList());
    }

    @Test
    void aSealStopsTheDurableSeqAndLaterBatchesAreCountedNotApplied() throws IOException {
        startSite(false);
        RaftClient c = client();
        propose(c, range(1, 12));
        propose(c, range(8, 20));
        RaftClientReply sealed = c.io().send(ControlCommand.seal(1).toMessage());
        assertThat(sealed.isSuccess()).as("seal: %s", sealed).isTrue();
        assertThat(ControlCommand.sealedSeqOf(sealed.getMessage())).as("sealed at the durable seq").isEqualTo(20);

        propose(c, range(21, 25));
        await().atMost(WAIT).untilAsserted(() -> {
            for (int i = 0; i < 3; i++) {
                assertThat(metrics[i].batchesAfterSeal.getCount()).as("replica %d batches after the seal", i)
                        .isEqualTo(1);
            }
        });
        RaftClientReply again = c.io().send(ControlCommand.seal(1).toMessage());
        assertThat(ControlCommand.sealedSeqOf(again.getMessage())).as("a second seal answers the first")
                .isEqualTo(20);
        for (int i = 0; i < 3; i++) {
            assertThat(sms[i].sealedSeq()).isEqualTo(20);
            assertThat(sms[i].store().metadata().sealedSeq()).isEqualTo(20);
            assertThat(sms[i].durableSeq()).as("replica %d durable seq", i).isEqualTo(20);
            assertThat(sms[i].store().metadata().durableSeq()).isEqualTo(20);
            assertThat(appliers[i].applied()).isEqualTo(expectedPayloads(1, 20));
            assertThat(entryLog(sms[i])).isEqualTo(LongStream.rangeClosed(1, 20).boxed().toList());
            assertThat(sms[i].store().pending().isEmpty()).as("nothing of the late batch waits either").isTrue();
        }
    }

    @Test
    void queriesReadTheMaterializedStateAndItsDigest() throws IOException {
        startSite(false);
        RaftClient c = client();
        propose(c, range(1, 50));
        awaitDurable(50);
        assertThat(MirrorQueries.parseGet(c.io().sendReadOnly(MirrorQueries.get(bytes("k17"))).getMessage()))
                .hasValueSatisfying(v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("v17"));
        assertThat(MirrorQueries.parseGet(c.io().sendReadOnly(MirrorQueries.get(bytes("nope"))).getMessage()))
                .isEmpty();
        List<MirrorQueries.Digest> digests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            digests.add(MirrorQueries.parseDigest(
                    c.io().sendStaleRead(MirrorQueries.digest(), 0, site.peerId(i)).getMessage()));
        }
        assertThat(digests).allSatisfy(d -> {
            assertThat(d.durableSeq()).isEqualTo(50);
            assertThat(d.pairCount()).isEqualTo(50);
        });
        assertThat(digests.get(1)).isEqualTo(digests.get(0));
        assertThat(digests.get(2)).isEqualTo(digests.get(0));
    }

    @Test
    void aLaggingReplicaInstallsTheMirrorStoreWithTheSnapshot() throws IOException {
        startSite(true);
        RaftClient c = client();
        for (long s = 1; s <= 200; s += 20) {
            propose(c, range(s, s + 19));
        }
        awaitDurable(200);
        site.stop(2);
        for (long s = 201; s <= 600; s += 20) {
            propose(c, range(s, s + 19));
        }
        int leader = site.awaitLeader();
        // Both running replicas snapshot and purge, so whichever leads can only catch replica 2 up with a snapshot.
        for (int node = 0; node < 2; node++) {
            int n = node;
            RaftClientReply snap = c.getSnapshotManagementApi(site.peerId(n)).create(true, 30_000);
            assertThat(snap.isSuccess()).as("snapshot on replica %d: %s", n, snap).isTrue();
            await().atMost(WAIT).untilAsserted(() -> assertThat(site.division(n).getRaftLog().getStartIndex())
                    .as("log purged").isGreaterThan(1));
        }

        startReplica(2);
        try {
            await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(sms[2].durableSeq()).isEqualTo(600));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // Ratis 3.2.2 race (cf. RATIS-1241): the leader's log appender may read a purged entry for the
            // returning follower, die, and not be restarted until the leadership changes. Change it.
            site.stop(leader);
            startReplica(leader);
            await().atMost(WAIT).untilAsserted(() -> assertThat(sms[2].durableSeq()).isEqualTo(600));
        }
        assertThat(appliers[2].count()).as("the store came with the snapshot, not by re-applying").isZero();
        assertThat(sms[2].store().kv().digest().sha256()).isEqualTo(sms[leader].store().kv().digest().sha256());
        assertThat(entryLog(sms[2])).hasSize(600);

        propose(c, 601);
        awaitDurable(601);
        assertThat(appliers[2].applied()).isEqualTo(expectedPayloads(601, 601));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
