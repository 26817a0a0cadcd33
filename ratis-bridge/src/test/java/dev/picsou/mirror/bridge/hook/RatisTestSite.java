package dev.picsou.mirror.bridge.hook;

import dev.picsou.mirror.bridge.transport.LoopbackPorts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.util.TimeDuration;

import static org.awaitility.Awaitility.await;

/**
 * One Raft group of {@code n} servers in this JVM, on loopback ports picked up front (a port of 0 would not match
 * the group's addresses), each with its own properties and storage directory (RATIS.md). Servers start with
 * {@code RECOVER}, so stopping and starting one again keeps its log.
 */
final class RatisTestSite implements AutoCloseable {
    private final String name;
    private final Path baseDir;
    private final Consumer<RaftProperties> tweak;
    private final RaftGroup group;
    private final List<RaftPeer> peers = new ArrayList<>();
    private final RaftServer[] servers;

    RatisTestSite(String name, int n, Path baseDir, Consumer<RaftProperties> tweak) {
        this.name = name;
        this.baseDir = baseDir;
        this.tweak = tweak;
        this.servers = new RaftServer[n];
        for (int i = 0; i < n; i++) {
            peers.add(RaftPeer.newBuilder().setId(peerId(i)).setAddress("127.0.0.1:" + LoopbackPorts.free()).build());
        }
        this.group = RaftGroup.valueOf(RaftGroupId.valueOf(UUID.nameUUIDFromBytes(name.getBytes())), peers);
    }

    RaftPeerId peerId(int i) {
        return RaftPeerId.valueOf(name + i);
    }

    RaftGroup group() {
        return group;
    }

    int size() {
        return servers.length;
    }

    /** The base properties every server and client of this site uses. */
    RaftProperties properties() {
        RaftProperties p = new RaftProperties();
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(600, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(1200, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p,
                TimeDuration.valueOf(200, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p,
                TimeDuration.valueOf(500, TimeUnit.MILLISECONDS));
        tweak.accept(p);
        return p;
    }

    Path storageDir(int i) {
        return baseDir.resolve(name + i).resolve("raft");
    }

    /** Starts server {@code i} with {@code sm} (RECOVER: formats a fresh directory, keeps an existing one). */
    RaftServer start(int i, StateMachine sm) {
        RaftProperties p = properties();
        RaftServerConfigKeys.setStorageDir(p, List.of(storageDir(i).toFile()));
        GrpcConfigKeys.Server.setPort(p, Integer.parseInt(peers.get(i).getAddress().split(":")[1]));
        try {
            RaftServer server = RaftServer.newBuilder()
                    .setServerId(peerId(i))
                    .setGroup(group)
                    .setStateMachine(sm)
                    .setProperties(p)
                    .setOption(RaftStorage.StartupOption.RECOVER)
                    .build();
            server.start();
            servers[i] = server;
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    RaftServer server(int i) {
        return servers[i];
    }

    RaftServer.Division division(int i) {
        try {
            return servers[i].getDivision(group.getGroupId());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Index of the current leader, waiting for one. */
    int awaitLeader() {
        int[] leader = {-1};
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (int i = 0; i < servers.length; i++) {
                if (servers[i] != null && division(i).getInfo().isLeader()) {
                    leader[0] = i;
                    return true;
                }
            }
            return false;
        });
        return leader[0];
    }

    /** A client of this group with a bounded, backing-off retry policy. */
    RaftClient newClient() {
        return RaftClient.newBuilder()
                .setRaftGroup(group)
                .setProperties(properties())
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(100,
                        TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
                .build();
    }

    /** Closes server {@code i} (its state machine is closed with it). */
    void stop(int i) {
        RaftServer s = servers[i];
        servers[i] = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Closes every running server, in parallel (each takes a few seconds). */
    @Override
    public void close() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (int i = 0; i < servers.length; i++) {
            int k = i;
            closing.add(CompletableFuture.runAsync(() -> stop(k)));
        }
        closing.forEach(CompletableFuture::join);
    }

}
