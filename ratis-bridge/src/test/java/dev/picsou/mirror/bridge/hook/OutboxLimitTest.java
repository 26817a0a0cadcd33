package dev.picsou.mirror.bridge.hook;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The outbox cap on a real 3-replica primary group whose mirror is unreachable: the alarm goes on past the alarm
 * fraction, the leader refuses writes at the cap, and writes flow again once the mirror is up and QUACKs.
 */
class OutboxLimitTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int CAP = 3_000;

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

    @Test
    void writesAreRefusedAtTheCapAndResumeOnceTheMirrorQuacks() throws Exception {
        sites = new TwoSites(dir, p -> { }, DurabilityPolicy.async());
        sites.outboxLimit = new OutboxLimit(CAP, 0.5);
        for (int i = 0; i < 3; i++) {
            sites.startPrimary(i);
        }
        sites.east.awaitLeader();
        RaftClient client = sites.eastClient();
        String pad = "x".repeat(90);

        int accepted = 0;
        Throwable refused = null;
        for (int k = 0; k < 500 && refused == null; k++) {
            try {
                RaftClientReply reply = client.io().send(Message.valueOf(ByteString.copyFromUtf8("key" + k + "="
                        + pad)));
                assertThat(reply.isSuccess()).as("reply %s", reply).isTrue();
                accepted++;
                awaitLeaderLinkSaw(accepted);
            } catch (StateMachineException e) {
                refused = e;
            }
        }

        assertThat(refused).as("a write was refused at the cap").isNotNull()
                .hasMessageContaining("outbox").hasMessageContaining("cap of " + CAP);
        assertThat(accepted).as("writes accepted before the cap").isBetween(CAP / 100 - 1, CAP / 90 + 1);
        for (int i = 0; i < 3; i++) {
            assertThat(sites.primaries[i].link().outboxAlarm()).as("alarm on replica %d", i).isTrue();
        }

        for (int i = 0; i < 3; i++) {
            sites.startMirror(i);
        }
        await().atMost(WAIT).untilAsserted(() -> {
            for (int i = 0; i < 3; i++) {
                assertThat(sites.primaries[i].link().lagBytes()).isZero();
                assertThat(sites.primaries[i].link().outboxAlarm()).isFalse();
            }
        });
        assertThat(client.io().send(Message.valueOf(ByteString.copyFromUtf8("after=" + pad))).isSuccess()).isTrue();
    }

    /** The leader's link counts what the leader committed before the next write is judged. */
    private void awaitLeaderLinkSaw(int entries) {
        await().atMost(WAIT).until(() -> {
            for (int i = 0; i < 3; i++) {
                if (sites.primaries[i].link().committedSeq() < entries) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    void limitThresholds() {
        OutboxLimit limit = new OutboxLimit(1000, 0.8);
        assertThat(limit.alarm(799)).isFalse();
        assertThat(limit.alarm(800)).isTrue();
        assertThat(limit.full(999)).isFalse();
        assertThat(limit.full(1000)).isTrue();
        assertThat(OutboxLimit.NONE.alarm(Long.MAX_VALUE - 1)).isFalse();
        assertThatThrownBy(() -> new OutboxLimit(0, 0.5)).hasMessageContaining("capBytes");
        assertThatThrownBy(() -> new OutboxLimit(10, 1.5)).hasMessageContaining("alarmFraction");
    }
}
