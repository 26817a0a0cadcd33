package dev.picsou.mirror.bridge.hook;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.util.LifeCycle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decorator forwards every {@link StateMachine}, {@link StateMachine.EventApi} and
 * {@link StateMachine.LeaderEventApi} method to the inner state machine — checked by reflection, so a method added
 * to those interfaces in a later Ratis fails here until it is forwarded.
 */
class MirroringStateMachineForwardingTest {
    /** Methods with behaviour of their own, tested with real Ratis. */
    private static final Set<String> OWN_BEHAVIOUR = Set.of("initialize", "reinitialize", "takeSnapshot",
            "getLatestSnapshot", "applyTransaction", "close", "event", "leaderEvent", "data", "followerEvent");

    @TempDir
    Path dir;

    private final List<Method> innerCalls = new ArrayList<>();
    private final SyncWaiters waiters = new SyncWaiters(
            DurabilityPolicy.sync(Duration.ofSeconds(10), DurabilityPolicy.OnTimeout.KEEP_BLOCKING), "t",
            Runnable::run);

    private StateMachine recordingInner() {
        InvocationHandler handler = (proxy, method, args) -> {
            switch (method.getName()) {
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                case "toString":
                    return "inner";
                default:
                    break;
            }
            innerCalls.add(method);
            return defaultValue(method.getReturnType(), proxy);
        };
        return (StateMachine) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {
            StateMachine.class, StateMachine.EventApi.class, StateMachine.LeaderEventApi.class,
            StateMachine.FollowerEventApi.class, StateMachine.DataApi.class}, handler);
    }

    private static Object defaultValue(Class<?> type, Object proxy) {
        if (type == void.class) {
            return null;
        } else if (type == boolean.class) {
            return false;
        } else if (type == long.class) {
            return 0L;
        } else if (type == int.class) {
            return 0;
        } else if (type == CompletableFuture.class) {
            return CompletableFuture.completedFuture(null);
        } else if (type == LifeCycle.State.class) {
            return LifeCycle.State.RUNNING;
        } else if (type == String.class) {
            return "inner";
        } else if (type.isInstance(proxy)) {
            return proxy;
        }
        return null;
    }

    private static Object argument(Class<?> type) {
        if (type == long.class) {
            return 0L;
        } else if (type == int.class) {
            return 0;
        } else if (type == boolean.class) {
            return false;
        } else if (type == RaftGroupMemberId.class) {
            return RaftGroupMemberId.valueOf(RaftPeerId.valueOf("me"), RaftGroupId.randomId());
        } else if (type == RaftPeerId.class) {
            return RaftPeerId.valueOf("other");
        } else if (type == Collection.class) {
            return List.of();
        } else if (type == RaftClientRequest.class) {
            // A user write (not a control entry): the decorator hands it to the inner state machine.
            return RaftClientRequest.newBuilder().setClientId(ClientId.randomId())
                    .setServerId(RaftPeerId.valueOf("me")).setGroupId(RaftGroupId.randomId()).setCallId(1)
                    .setMessage(Message.valueOf("key=value")).setType(RaftClientRequest.writeRequestType()).build();
        }
        return null;
    }

    private MirroringStateMachine decorate(StateMachine inner) {
        return new MirroringStateMachine(inner, "east", dir.resolve("hook"), 1, PrimaryFeed.NONE, waiters,
                DurabilityPolicy.async(), null, System::nanoTime);
    }

    @Test
    void everyMethodAndNotificationReachesTheInnerStateMachine() throws Exception {
        StateMachine inner = recordingInner();
        MirroringStateMachine sm = decorate(inner);
        int checked = 0;
        for (Class<?> api : List.of(StateMachine.class, StateMachine.EventApi.class,
                StateMachine.LeaderEventApi.class)) {
            Object target = api == StateMachine.class ? sm : api == StateMachine.EventApi.class ? sm.event()
                    : sm.leaderEvent();
            for (Method m : api.getMethods()) {
                if (Modifier.isStatic(m.getModifiers()) || OWN_BEHAVIOUR.contains(m.getName())) {
                    continue;
                }
                innerCalls.clear();
                Object[] args = Arrays.stream(m.getParameterTypes()).map(MirroringStateMachineForwardingTest::argument)
                        .toArray();
                m.invoke(target, args);
                assertThat(innerCalls).as("%s.%s%s forwarded", api.getSimpleName(), m.getName(),
                        Arrays.toString(m.getParameterTypes()))
                        .anySatisfy(c -> {
                            assertThat(c.getName()).isEqualTo(m.getName());
                            assertThat(c.getParameterTypes()).isEqualTo(m.getParameterTypes());
                        });
                checked++;
            }
        }
        assertThat(checked).as("methods checked").isGreaterThanOrEqualTo(24);
    }

    @Test
    void theApiObjectsAreTheInnersExceptTheEventsTheHookWatches() {
        StateMachine inner = recordingInner();
        MirroringStateMachine sm = decorate(inner);
        assertThat(sm.data()).isSameAs(inner);
        assertThat(sm.followerEvent()).isSameAs(inner);
        assertThat(sm.event()).isSameAs(sm);
        assertThat(sm.leaderEvent()).isSameAs(sm);
        assertThat(sm.inner()).isSameAs(inner);
    }

    @Test
    void steppingDownReleasesSyncWaiters() throws Exception {
        MirroringStateMachine sm = decorate(recordingInner());
        CompletableFuture<Void> waiting = waiters.await(5, 0);
        sm.leaderEvent().notifyNotLeader(List.of());
        assertThat(waiting).isCompleted();
        CompletableFuture<Void> again = waiters.await(6, 0);
        sm.event().notifyLeaderChanged(RaftGroupMemberId.valueOf(RaftPeerId.valueOf("me"), RaftGroupId.randomId()),
                RaftPeerId.valueOf("other"));
        assertThat(again).isCompleted();
    }
}
