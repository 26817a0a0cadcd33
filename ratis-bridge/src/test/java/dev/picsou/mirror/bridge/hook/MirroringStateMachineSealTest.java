package dev.picsou.mirror.bridge.hook;

import dev.picsou.mirror.storage.HookMetadata;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * A seal control entry on a real 3-replica primary group: each replica's {@link MirroringStateMachine} (wrapping a
 * {@link CountingStateMachine}) closes the stream at the same seq, and no client entry after it is numbered or
 * reaches the user state machine — whether the leader refuses it up front or it was already in the log — before and
 * after a restart. No mirror site runs: the links have nobody to talk to, which does not matter here.
 */
class MirroringStateMachineSealTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int N = 40;

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
            for (CountingStateMachine sm : sites.inner) {
                if (sm != null) {
                    sm.releaseHold();
                }
            }
            sites.close();
        }
    }

    private HookMetadata hook(int i) {
        return sites.primaries[i].stateMachine().hookMetadata().orElseThrow();
    }

    private static Message msg(String s) {
        return Message.valueOf(ByteString.copyFromUtf8(s));
    }

    private static RaftClientReply seal(RaftClient client) throws IOException {
        RaftClientReply reply = client.io().send(ControlCommand.seal(1).toMessage());
        assertThat(reply.isSuccess()).as("seal: %s", reply).isTrue();
        return reply;
    }

    private String raftState(int i) {
        RaftServer.Division d = sites.east.division(i);
        return d.getInfo().getCurrentRole() + ", committed " + d.getRaftLog().getLastCommittedIndex() + ", last entry "
                + d.getRaftLog().getLastEntryTermIndex();
    }

    /**
     * Waits until every replica applied the log up to {@code index}, then checks that each sealed at {@code N},
     * numbered nothing after it, and let exactly N entries reach its user state machine.
     */
    private void assertEveryReplicaSealedAtNOnceItApplied(long index) {
        await().atMost(WAIT).untilAsserted(() -> {
            for (int i = 0; i < 3; i++) {
                assertThat(sites.east.division(i).getInfo().getLastAppliedIndex()).as("replica %d applied (%s)", i,
                        raftState(i)).isGreaterThanOrEqualTo(index);
            }
        });
        for (int i = 0; i < 3; i++) {
            assertThat(hook(i).sealedSeq()).as("replica %d sealed seq", i).isEqualTo(N);
            assertThat(hook(i).lastSeq()).as("replica %d last seq", i).isEqualTo(N);
            assertThat(sites.inner[i].count()).as("replica %d entries applied by the user state machine", i)
                    .isEqualTo(N);
        }
        assertThat(sites.inner[1].hash()).isEqualTo(sites.inner[0].hash());
        assertThat(sites.inner[2].hash()).isEqualTo(sites.inner[0].hash());
    }

    private static void assertRefusedAsSealed(Throwable refusal) {
        assertThat(refusal).as("refusal").isNotNull()
                .hasStackTraceContaining(StateMachineException.class.getSimpleName())
                .hasStackTraceContaining("is sealed at epoch 1, seq " + N)
                .hasStackTraceContaining("fenced");
    }

    /** The index of the entry with {@code data} among the last 20 of replica {@code i}'s Raft log, or -1. */
    private long indexOf(int i, ByteString data) throws IOException {
        RaftLog log = sites.east.division(i).getRaftLog();
        for (long index = log.getNextIndex() - 1; index >= Math.max(log.getStartIndex(), log.getNextIndex() - 20);
                index--) {
            LogEntryProto e = log.get(index);
            if (e != null && e.hasStateMachineLogEntry() && e.getStateMachineLogEntry().getLogData().equals(data)) {
                return index;
            }
        }
        return -1;
    }

    /** Stops the three replicas together and starts them again on the same directories. */
    private void restartTheSite() {
        restartTheSite(0);
    }

    /** As {@link #restartTheSite()}, each user state machine held at its {@code held}-th entry (0: none). */
    private void restartTheSite(long held) {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int k = i;
            stops.add(CompletableFuture.runAsync(() -> sites.stopPrimary(k)));
        }
        stops.forEach(CompletableFuture::join);
        for (int i = 0; i < 3; i++) {
            sites.startPrimary(i, held);
        }
        sites.east.awaitLeader();
    }

    @Test
    void afterARestartTheHookIsSealedAtOnceButSaysItsInnerStateMachineIsBehindUntilTheReplayPassesTheSeal()
            throws Exception {
        sites = new TwoSites(dir, p -> { }, DurabilityPolicy.async());
        for (int i = 0; i < 3; i++) {
            sites.startPrimary(i);
        }
        sites.east.awaitLeader();
        RaftClient client = sites.eastClient();
        TwoSites.write(client, 1, N, 0);
        long sealIndex = seal(client).getLogIndex();
        assertEveryReplicaSealedAtNOnceItApplied(sealIndex);
        for (int i = 0; i < 3; i++) {
            assertThat(sites.primaries[i].stateMachine().innerHasApplied()).as("replica %d before the restart", i)
                    .isTrue();
        }

        // No snapshot: the user state machines replay the whole log, and each is held at entry 5 of it.
        restartTheSite(5);
        for (int i = 0; i < 3; i++) {
            int k = i;
            await().atMost(WAIT).untilAsserted(() -> assertThat(sites.inner[k].count())
                    .as("replica %d: entries its user state machine replayed (%s)", k, raftState(k)).isEqualTo(4));
            assertThat(hook(i).isSealed()).as("replica %d: its hook store came back sealed", i).isTrue();
            assertThat(sites.primaries[i].stateMachine().innerHasApplied())
                    .as("replica %d: its user state machine has replayed 4 of %d entries", i, N).isFalse();
        }
        for (CountingStateMachine sm : sites.inner) {
            sm.releaseHold();
        }

        for (int i = 0; i < 3; i++) {
            int k = i;
            await().atMost(WAIT).until(() -> sites.primaries[k].stateMachine().innerHasApplied());
            assertThat(sites.inner[i].count()).as("replica %d once it says so", i).isEqualTo(N);
        }
        assertEveryReplicaSealedAtNOnceItApplied(sealIndex);
    }

    @Test
    void aSealedPrimaryNumbersNothingAfterTheSealAndRefusesWritesAcrossARestart() throws Exception {
        sites = new TwoSites(dir, p -> { }, DurabilityPolicy.async());
        for (int i = 0; i < 3; i++) {
            sites.startPrimary(i);
        }
        int leader = sites.east.awaitLeader();
        RaftClient client = sites.eastClient();
        TwoSites.write(client, 1, N - 1, 0);

        // Hold the apply of entry N on every replica, so that the seal and a write behind it are both in the log
        // before the seal is applied: the leader cannot refuse that write up front, the apply must.
        Message last = msg("key" + N + "=value" + N);
        Message late = msg("late=1");
        for (CountingStateMachine sm : sites.inner) {
            sm.holdApplyOf(last.getContent());
        }
        CompletableFuture<RaftClientReply> lastWrite = client.async().send(last);
        CompletableFuture<RaftClientReply> sealing = client.async().send(ControlCommand.seal(1).toMessage());
        CompletableFuture<RaftClientReply> lateWrite = client.async().send(late);
        await().atMost(WAIT).until(() -> indexOf(leader, late.getContent()) > 0);
        long lateIndex = indexOf(leader, late.getContent());
        assertThat(sealing).as("the seal waits behind the held entry").isNotDone();
        for (CountingStateMachine sm : sites.inner) {
            sm.releaseHold();
        }

        assertThat(lastWrite.get(30, TimeUnit.SECONDS).isSuccess()).isTrue();
        RaftClientReply sealReply = sealing.get(30, TimeUnit.SECONDS);
        assertThat(sealReply.isSuccess()).as("seal: %s", sealReply).isTrue();
        assertThat(ControlCommand.sealedSeqOf(sealReply.getMessage())).as("sealed seq = last seq").isEqualTo(N);
        assertThat(sealReply.getLogIndex()).isLessThan(lateIndex);
        assertRefusedAsSealed(catchThrowable(() -> lateWrite.get(30, TimeUnit.SECONDS)));
        assertEveryReplicaSealedAtNOnceItApplied(lateIndex);

        RaftClient other = sites.eastClient();
        Throwable refused = catchThrowable(() -> other.io().send(msg("refused=1")));
        assertThat(refused).as("refused up front by the leader").isInstanceOf(StateMachineException.class);
        assertRefusedAsSealed(refused);
        CompletableFuture<RaftClientReply> refusedAsync = other.async().send(msg("refused=2"));
        assertRefusedAsSealed(catchThrowable(() -> refusedAsync.get(30, TimeUnit.SECONDS)));
        RaftClientReply sealedAgain = seal(other);
        assertThat(ControlCommand.sealedSeqOf(sealedAgain.getMessage())).as("a second seal answers the first one's")
                .isEqualTo(N);
        long beforeRestart = sealedAgain.getLogIndex();
        assertEveryReplicaSealedAtNOnceItApplied(beforeRestart);

        // No snapshot was taken: every replica replays its whole log, the write the seal refused included.
        restartTheSite();
        assertEveryReplicaSealedAtNOnceItApplied(beforeRestart);
        RaftClient afterRestart = sites.eastClient();
        assertRefusedAsSealed(catchThrowable(() -> afterRestart.io().send(msg("refused=3"))));
        RaftClientReply sealedAfterRestart = seal(afterRestart);
        assertThat(ControlCommand.sealedSeqOf(sealedAfterRestart.getMessage())).isEqualTo(N);
        assertEveryReplicaSealedAtNOnceItApplied(sealedAfterRestart.getLogIndex());
    }
}
