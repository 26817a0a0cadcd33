package dev.picsou.mirror.server.site;

import dev.picsou.mirror.bridge.hook.RatisServerDefaults;
import dev.picsou.mirror.bridge.transport.LoopbackPorts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An N-node Ratis site (one Raft group) inside this JVM, on loopback, for tests and the demo.
 *
 * <p>Each node has its own {@link RaftProperties}, a gRPC port picked free when the site is created (Ratis cannot
 * use port 0: the group must name the real address) and kept across restarts, and a directory
 * {@code <base>/<peerId>/} holding {@code ratis/} (Raft log, metadata, the {@code sm} directory of snapshots) and
 * {@code data/} (the {@link NodeContext#dataDirectory()} for the application's stores). Its state machine comes
 * from the factory given to the constructor, called again on every restart.
 *
 * <p>{@link #stop(int)} closes the node's {@link RaftServer} (and so its state machine) and keeps its
 * directories; {@link #restart(int)} builds a new server and state machine on them. That is the in-JVM
 * equivalent of kill and restart: a state machine must not rely on anything but what its stores and the Raft
 * storage hold.
 *
 * <p>Creating a site calls {@link SiteLogging#quietLibraries()}.
 *
 * <p>Thread-safe: lifecycle methods are serialized; {@link #leaderIndex()} and the accessors may be called from any
 * thread at any time.
 */
public final class LocalSite implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalSite.class);
    private static final String LOOPBACK = "127.0.0.1";
    /** How long a follower may stay behind without progress, or a server stay dead, before the watchdog acts. */
    static final Duration WATCHDOG_STUCK_AFTER = Duration.ofSeconds(10);
    /** How far behind the leader's commit index a follower must be for the watchdog to count it stuck. */
    static final long WATCHDOG_LAG_ENTRIES = 64;
    private static final Duration POLL = Duration.ofMillis(50);

    private record Node(RaftServer server, StateMachine stateMachine) {
    }

    private final LocalSiteConfig config;
    private final Function<NodeContext, ? extends StateMachine> stateMachines;
    private final RaftGroup group;
    private final List<RaftPeer> peers;
    private final AtomicReferenceArray<Node> nodes;
    private RaftClient sharedClient;
    private boolean closed;
    private ScheduledExecutorService watchdog;

    /**
     * Prepares a site (picks its ports) without starting it.
     *
     * @param stateMachines builds a new state machine for a node on every (re)start
     * @throws UncheckedIOException if no free loopback port could be found
     */
    public LocalSite(LocalSiteConfig config, Function<NodeContext, ? extends StateMachine> stateMachines) {
        this.config = Objects.requireNonNull(config, "config");
        this.stateMachines = Objects.requireNonNull(stateMachines, "stateMachines");
        SiteLogging.quietLibraries();
        List<Integer> ports = LoopbackPorts.free(config.nodeCount());
        List<RaftPeer> list = new ArrayList<>();
        for (int i = 0; i < config.nodeCount(); i++) {
            list.add(RaftPeer.newBuilder()
                    .setId(RaftPeerId.valueOf(config.siteId() + "-n" + (i + 1)))
                    .setAddress(LOOPBACK + ":" + ports.get(i))
                    .build());
        }
        this.peers = List.copyOf(list);
        UUID groupUuid = UUID.nameUUIDFromBytes(("picsou-site:" + config.siteId()).getBytes(StandardCharsets.UTF_8));
        this.group = RaftGroup.valueOf(RaftGroupId.valueOf(groupUuid), peers);
        this.nodes = new AtomicReferenceArray<>(config.nodeCount());
    }

    /**
     * Starts every node that is not running and waits (up to {@link LocalSiteConfig#startTimeout()}) until a leader
     * is ready to serve.
     *
     * @return the index of the leader
     * @throws IOException           if a server failed to start
     * @throws IllegalStateException if no leader was ready in time
     */
    public synchronized int start() throws IOException {
        requireOpen();
        for (int i = 0; i < nodes.length(); i++) {
            if (nodes.get(i) == null) {
                startNode(i);
            }
        }
        startWatchdog();
        return awaitLeader(config.startTimeout());
    }

    /**
     * Every second, a {@link LaggardWatchdog} restarts a node whose Raft server shut itself down and makes the
     * leader hand over when a running follower stays {@link #WATCHDOG_LAG_ENTRIES} behind without progress for
     * {@link #WATCHDOG_STUCK_AFTER}.
     */
    private void startWatchdog() {
        if (watchdog != null) {
            return;
        }
        LaggardWatchdog dog = new LaggardWatchdog(new WatchedSite(), WATCHDOG_STUCK_AFTER, WATCHDOG_LAG_ENTRIES);
        watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "site-watchdog-" + config.siteId());
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleWithFixedDelay(() -> {
            try {
                dog.check(System.nanoTime());
            } catch (RuntimeException e) {
                LOG.warn("site {}: watchdog check failed", config.siteId(), e);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    /** The site as the watchdog sees it. */
    private final class WatchedSite implements LaggardWatchdog.Site {
        @Override
        public int size() {
            return nodes.length();
        }

        @Override
        public boolean isRunning(int i) {
            return nodes.get(i) != null;
        }

        @Override
        public boolean isAlive(int i) {
            RaftServer.Division d = divisionOrNull(i);
            return d != null && d.getInfo().isAlive();
        }

        @Override
        public int leaderIndex() {
            return LocalSite.this.leaderIndex();
        }

        @Override
        public long appliedIndex(int i) {
            RaftServer.Division d = divisionOrNull(i);
            return d == null ? -1 : d.getInfo().getLastAppliedIndex();
        }

        @Override
        public long commitIndex(int i) {
            RaftServer.Division d = divisionOrNull(i);
            return d == null ? -1 : d.getRaftLog().getLastCommittedIndex();
        }

        /** Node {@code i}'s division, or null when it is stopped, starting or closed. */
        private RaftServer.Division divisionOrNull(int i) {
            try {
                return division(i);
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        @Override
        public void restart(int i) throws IOException {
            synchronized (LocalSite.this) {
                if (!closed && nodes.get(i) != null) {
                    LocalSite.this.restart(i);
                }
            }
        }

        @Override
        public void transferLeadership(int to) throws IOException {
            RaftClientReply reply = client().admin().transferLeadership(peers.get(to).getId(), 10_000);
            if (!reply.isSuccess()) {
                throw new IOException("transfer of leadership to " + peers.get(to).getId() + " failed: " + reply);
            }
        }

        @Override
        public String name() {
            return "site " + config.siteId();
        }
    }

    /**
     * Closes node {@code index}'s server and state machine, keeping its directories. A no-op if it is stopped.
     *
     * @throws IOException if the server failed to close cleanly (it is treated as stopped regardless)
     */
    public synchronized void stop(int index) throws IOException {
        requireOpen();
        Node node = nodes.getAndSet(checkIndex(index), null);
        if (node != null) {
            node.server().close();
        }
    }

    /**
     * Stops node {@code index} if it is running, then starts a new server and a new state machine on the same
     * directories and port. Does not wait for the node to catch up.
     */
    public synchronized void restart(int index) throws IOException {
        stop(index);
        startNode(index);
    }

    /** Whether node {@code index} is running. */
    public boolean isRunning(int index) {
        return nodes.get(checkIndex(index)) != null;
    }

    /**
     * The index of the running node that is leader and ready to serve (its first entry of the term is committed),
     * or {@code -1} if there is none right now.
     */
    public int leaderIndex() {
        for (int i = 0; i < nodes.length(); i++) {
            Node node = nodes.get(i);
            if (node == null) {
                continue;
            }
            try {
                RaftServer.Division division = node.server().getDivision(group.getGroupId());
                if (division.getInfo().isLeader() && division.getInfo().isLeaderReady()) {
                    return i;
                }
            } catch (IOException | RuntimeException e) {
                LOG.trace("node {} has no division yet", i, e);
            }
        }
        return -1;
    }

    /**
     * Waits until some running node is a ready leader.
     *
     * @return its index
     * @throws IllegalStateException if none was within {@code timeout}
     */
    public int awaitLeader(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int leader = leaderIndex();
            if (leader >= 0) {
                return leader;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("no ready leader in site " + config.siteId() + " after " + timeout);
            }
            sleep(POLL);
        }
    }

    /**
     * A client shared by every caller, with {@link SiteClients#boundedRetryPolicy()}; the site closes it. Safe to
     * use from many threads, like any {@link RaftClient}.
     */
    public synchronized RaftClient client() {
        requireOpen();
        if (sharedClient == null) {
            sharedClient = SiteClients.newClient(group);
        }
        return sharedClient;
    }

    /** A new client with {@link SiteClients#boundedRetryPolicy()}, owned (and closed) by the caller. */
    public RaftClient newClient() {
        return SiteClients.newClient(group);
    }

    /**
     * Asks node {@code index} to take a snapshot now (whatever the creation gap), through the admin API.
     *
     * @return the snapshot's log index
     * @throws IOException if the request failed or the server refused it
     */
    public long takeSnapshot(int index) throws IOException {
        RaftClientReply reply = client().getSnapshotManagementApi(peers.get(checkIndex(index)).getId())
                .create(true, config.startTimeout().toMillis());
        if (!reply.isSuccess()) {
            throw new IOException("snapshot on " + peers.get(index).getId() + " failed: " + reply.getException(),
                    reply.getException());
        }
        return reply.getLogIndex();
    }

    /** The group: its id and every peer. */
    public RaftGroup group() {
        return group;
    }

    /** The peers, in node-index order. */
    public List<RaftPeer> peers() {
        return peers;
    }

    /** The number of nodes. */
    public int size() {
        return peers.size();
    }

    public LocalSiteConfig config() {
        return config;
    }

    /**
     * The state machine node {@code index} runs now (a new object after each restart).
     *
     * @throws IllegalStateException if the node is stopped
     */
    public StateMachine stateMachine(int index) {
        return requireNode(index).stateMachine();
    }

    /** {@link #stateMachine(int)} cast to {@code type}. */
    public <T extends StateMachine> T stateMachine(int index, Class<T> type) {
        return type.cast(stateMachine(index));
    }

    /** Node {@code index}'s Raft division of this site's group (for inspection: role, log, commit index). */
    public RaftServer.Division division(int index) throws IOException {
        return requireNode(index).server().getDivision(group.getGroupId());
    }

    /** {@code <base>/<peerId>/}: everything node {@code index} keeps. */
    public Path nodeDirectory(int index) {
        return config.baseDirectory().resolve(peers.get(checkIndex(index)).getId().toString());
    }

    /** The Raft storage directory of node {@code index}. */
    public Path ratisDirectory(int index) {
        return nodeDirectory(index).resolve("ratis");
    }

    /** The application data directory of node {@code index} ({@link NodeContext#dataDirectory()}). */
    public Path dataDirectory(int index) {
        return nodeDirectory(index).resolve("data");
    }

    /**
     * Closes the shared client and every running server, in parallel, waiting at most
     * {@link LocalSiteConfig#closeTimeout()}; servers still closing after that are left to finish in the
     * background (and logged). Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
        if (sharedClient != null) {
            try {
                sharedClient.close();
            } catch (IOException e) {
                LOG.warn("closing the client of site {}", config.siteId(), e);
            }
        }
        List<Thread> closers = new ArrayList<>();
        for (int i = 0; i < nodes.length(); i++) {
            Node node = nodes.getAndSet(i, null);
            if (node != null) {
                String name = peers.get(i).getId().toString();
                Thread t = new Thread(() -> closeQuietly(node, name), "close-" + name);
                t.setDaemon(true);
                t.start();
                closers.add(t);
            }
        }
        long deadline = System.nanoTime() + config.closeTimeout().toNanos();
        for (Thread t : closers) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    t.join(TimeUnit.NANOSECONDS.toMillis(left) + 1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (t.isAlive()) {
                LOG.warn("{} still closing after {}", t.getName(), config.closeTimeout());
            }
        }
    }

    @Override
    public String toString() {
        return "LocalSite[" + config.siteId() + ", " + peers + "]";
    }

    private void startNode(int index) throws IOException {
        RaftPeer peer = peers.get(index);
        Path ratisDir = ratisDirectory(index);
        Path dataDir = dataDirectory(index);
        Files.createDirectories(ratisDir);
        Files.createDirectories(dataDir);
        NodeContext context = new NodeContext(config.siteId(), index, peer.getId(), group, dataDir);
        StateMachine stateMachine = Objects.requireNonNull(stateMachines.apply(context),
                "the state machine factory returned null for " + context);
        RaftServer server = RaftServer.newBuilder()
                .setServerId(peer.getId())
                .setGroup(group)
                .setProperties(serverProperties(ratisDir, portOf(peer)))
                .setStateMachine(stateMachine)
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            try {
                server.close();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        nodes.set(index, new Node(server, stateMachine));
    }

    private RaftProperties serverProperties(Path ratisDir, int port) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
        GrpcConfigKeys.Server.setHost(p, LOOPBACK);
        GrpcConfigKeys.Server.setPort(p, port);
        RaftServerConfigKeys.setStorageDir(p, List.of(ratisDir.toFile()));
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, SiteClients.toTimeDuration(config.electionTimeoutMin()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, SiteClients.toTimeDuration(config.electionTimeoutMax()));
        RaftServerConfigKeys.Rpc.setRequestTimeout(p, SiteClients.toTimeDuration(config.serverRequestTimeout()));
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, config.segmentSizeMax());
        SnapshotPolicy snapshot = config.snapshot();
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, snapshot.purgeUpToSnapshotIndex());
        RaftServerConfigKeys.Log.setPurgeGap(p, snapshot.purgeGap());
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, snapshot.autoTriggerThreshold() > 0);
        if (snapshot.autoTriggerThreshold() > 0) {
            RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, snapshot.autoTriggerThreshold());
        }
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, snapshot.retainedSnapshotFiles());
        RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(p, true);
        return RatisServerDefaults.applyTo(p);
    }

    private Node requireNode(int index) {
        Node node = nodes.get(checkIndex(index));
        if (node == null) {
            throw new IllegalStateException("node " + index + " (" + peers.get(index).getId() + ") is stopped");
        }
        return node;
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= peers.size()) {
            throw new IndexOutOfBoundsException("node index " + index + " is not in 0.." + (peers.size() - 1));
        }
        return index;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    private static void closeQuietly(Node node, String name) {
        try {
            node.server().close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("closing {}", name, e);
        }
    }

    private static int portOf(RaftPeer peer) {
        String address = peer.getAddress();
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }


    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a leader", e);
        }
    }
}
