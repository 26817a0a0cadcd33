package dev.picsou.mirror.server.node;

import com.codahale.metrics.MetricFilter;
import com.codahale.metrics.MetricRegistry;
import dev.picsou.mirror.bridge.hook.ControlCommand;
import dev.picsou.mirror.config.DeploymentConfig;
import dev.picsou.mirror.config.NodeConfig;
import dev.picsou.mirror.config.SiteConfig;
import dev.picsou.mirror.server.node.NodeState.SiteRoleState;
import dev.picsou.mirror.storage.HookMetadata;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.ratis.protocol.RaftClientReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of a deployment, in its own process ({@code picsou node start}): the Raft server of its site's current
 * epoch with the hook of the site's role ({@link EpochRuntime}), and the role changes the operator drives through the
 * admin endpoint ({@link NodeRoutes}).
 *
 * <p>Lifecycle: {@link #start()} reads {@code node.json} (or starts epoch 1 in the configured role; a node of the
 * configured primary without one stays idle if the other site holds data), starts the epoch, and, on a primary,
 * watches for a newer primary: a FENCED frame from the other site (its nodes answer data of an older epoch with the
 * fork point) or the other site's status showing it primary at a newer epoch means this site was failed over from
 * while it was away; it seals itself at once so that it takes no more writes (it is fenced) until the operator
 * rejoins it. {@link #transition} seals-checks, stops the epoch, seeds the next one with
 * {@link StoreSeeder}, writes {@code node.json} (the commit point) and starts the next epoch. Thread-safe:
 * lifecycle and transitions are serialized on this object; status reads never block on them.
 */
public final class MirrorNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MirrorNode.class);
    private static final Duration SEAL_WAIT = Duration.ofSeconds(30);

    final DeploymentConfig config;
    final SiteConfig site;
    final NodeConfig node;
    final EpochLayout layout;
    private final NodeStateFile stateFile;
    private final MetricRegistry metrics = new MetricRegistry();
    private final ScheduledExecutorService watcher;
    private volatile EpochRuntime runtime;
    private volatile NodeState state;
    private volatile String fencedBy;
    private volatile String lastTransitionError;
    private volatile String awaiting;
    private boolean closed;

    public MirrorNode(DeploymentConfig config, String nodeId) {
        this.config = config;
        this.node = config.node(nodeId);
        this.site = config.siteOfNode(nodeId);
        this.layout = new EpochLayout(node.dataDir());
        this.stateFile = new NodeStateFile(layout.dataDir());
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fence-watch-" + nodeId);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the node's current epoch. A node without {@code node.json} of the site configured primary starts no
     * epoch when the other site already holds data (its data directory was lost or wiped): a fresh epoch 1 primary
     * would number its writes from seq 1 again, and the mirror, which has those seqs, would drop them while
     * acknowledging them. Such a node stays idle ({@link #awaiting()}) until {@code picsou restore} gives it a state.
     *
     * @throws IOException if the node state cannot be read or the Raft server cannot start
     */
    public synchronized void start() throws IOException {
        Optional<NodeState> stored = stateFile.read();
        NodeState s = stored.orElseGet(() -> NodeState.initial(
                site.initialRole() == dev.picsou.mirror.config.SiteRole.PRIMARY
                        ? SiteRoleState.PRIMARY : SiteRoleState.MIRROR));
        Optional<String> otherData = stored.isEmpty() && s.isPrimary() ? otherSiteData() : Optional.empty();
        state = s;
        if (otherData.isPresent()) {
            awaiting = "node " + node.id() + " has no state (no " + stateFile.path() + ") but " + otherData.get()
                    + ": it starts no epoch and waits for 'picsou restore --site " + site.id() + "'";
            LOG.error("ALARM {}", awaiting);
        } else {
            if (stored.isEmpty()) {
                stateFile.write(s);
            }
            runtime = EpochRuntime.start(config, node.id(), s, layout, metrics);
        }
        watcher.scheduleWithFixedDelay(this::watchForNewerPrimary, 1, 1, TimeUnit.SECONDS);
    }

    /** What a node of the other site that holds data reports ("dc-b reports epoch 1, state_seq 42"), if any does. */
    private Optional<String> otherSiteData() {
        SiteConfig other = config.otherSite(site.id());
        for (NodeConfig n : other.nodes()) {
            Optional<NodeClient.Status> peer = NodeClient.tryStatus(n, Duration.ofSeconds(1));
            if (peer.isPresent() && (peer.get().epoch() > 1 || peer.get().stateSeq() > 0)) {
                return Optional.of(other.id() + " (node " + n.id() + ") reports epoch " + peer.get().epoch()
                        + ", state_seq " + peer.get().stateSeq());
            }
        }
        return Optional.empty();
    }

    /** Why this node runs no epoch and waits for a restore, if it does (see {@link #start()}). */
    public Optional<String> awaiting() {
        return Optional.ofNullable(awaiting);
    }

    public NodeState state() {
        return state;
    }

    public MetricRegistry metrics() {
        return metrics;
    }

    /** The running epoch, or null between the epochs of a transition. */
    EpochRuntime runtime() {
        return runtime;
    }

    /** Set when this primary found the other site primary at a newer epoch. */
    public Optional<String> fencedBy() {
        return Optional.ofNullable(fencedBy);
    }

    Optional<String> lastTransitionError() {
        return Optional.ofNullable(lastTransitionError);
    }

    /**
     * Seals the site's current epoch through its Raft group (from any node of the site) and waits until this node
     * applied the seal.
     *
     * @return the sealed seq
     * @throws IOException if the group did not commit the seal (no quorum, timeout)
     */
    public long seal() throws IOException {
        EpochRuntime rt = requireRuntime();
        RaftClientReply reply = rt.client.io().send(ControlCommand.seal(rt.state.epoch()).toMessage());
        if (!reply.isSuccess()) {
            throw new IOException("site " + site.id() + " did not commit the seal: " + reply.getException(),
                    reply.getException());
        }
        long sealed = ControlCommand.sealedSeqOf(reply.getMessage());
        awaitLocalSeal(rt);
        return sealed;
    }

    /** The metadata of this node's hook or mirror store, as applied locally. */
    public Optional<HookMetadata> localMetadata() {
        EpochRuntime rt = runtime;
        if (rt == null) {
            return Optional.empty();
        }
        if (rt.primary != null) {
            return rt.primary.stateMachine().hookMetadata();
        }
        var sm = rt.mirrorStateMachine();
        return sm == null || sm.store() == null ? Optional.empty() : Optional.of(sm.store().metadata());
    }

    /**
     * Makes everything the running epoch's own store holds (the primary's hook store, or the mirror's store) visible
     * to a reader that opens its directory: neither writes a WAL, so their memtables are not. Call before reading it
     * from the side.
     */
    public void flushLocalStore() {
        EpochRuntime rt = runtime;
        if (rt != null) {
            rt.flushLocalStore();
        }
    }

    private long awaitLocalSeal(EpochRuntime rt) throws IOException {
        long deadline = System.nanoTime() + SEAL_WAIT.toNanos();
        while (true) {
            Optional<HookMetadata> m = localMetadata();
            boolean sealed = m.isPresent() && m.get().isSealed();
            if (sealed && rt.stateSettled()) {
                return m.get().sealedSeq();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("node " + node.id() + (sealed
                        ? " is sealed but its application has not replayed its Raft log up to the seal"
                        : " has not applied the seal of epoch " + rt.state.epoch())
                        + " after " + SEAL_WAIT + " (is it far behind its leader?)");
            }
            sleep(20);
        }
    }

    /**
     * Performs a role change (see {@link Transition}). Idempotent: asking for the epoch and role the node already
     * runs returns at once.
     *
     * @return the new state
     * @throws IllegalStateException if the node is not in a state the transition can start from (the message says
     *                               why); the node keeps running its current epoch then
     * @throws IOException           if seeding or starting the new epoch failed; the node then runs nothing until
     *                               restarted, and a restart resumes the epoch {@code node.json} names
     */
    public synchronized NodeState transition(Transition t) throws IOException {
        NodeState current = state;
        SiteRoleState target = t.kind() == Transition.Kind.PROMOTE || t.kind() == Transition.Kind.RESTORE
                ? SiteRoleState.PRIMARY : SiteRoleState.MIRROR;
        if (current.epoch() == t.newEpoch() && current.role() == target) {
            return current;
        }
        if (t.newEpoch() <= current.epoch()) {
            throw new IllegalStateException("node " + node.id() + " runs epoch " + current.epoch()
                    + ": cannot move to epoch " + t.newEpoch());
        }
        EpochRuntime rt = runtime;
        if (t.kind() != Transition.Kind.RESTORE) {
            requireRole(current, t);
            if (rt == null) {
                throw new IllegalStateException(awaiting != null ? awaiting
                        : "node " + node.id() + " is not running an epoch");
            }
            awaitLocalSeal(rt);
        }
        stopEpoch();
        NodeState next;
        try {
            next = seed(current, t);
        } catch (IOException | RuntimeException e) {
            lastTransitionError = e.getMessage();
            if (awaiting != null) {
                LOG.error("node {}: transition {} failed; still idle", node.id(), t.kind(), e);
                throw e;
            }
            LOG.error("node {}: transition {} failed; restarting epoch {}", node.id(), t.kind(), current.epoch(), e);
            runtime = EpochRuntime.start(config, node.id(), current, layout, metrics);
            throw e;
        }
        stateFile.write(next);
        state = next;
        fencedBy = null;
        lastTransitionError = null;
        awaiting = null;
        runtime = EpochRuntime.start(config, node.id(), next, layout, metrics);
        LOG.info("node {}: {} done, now epoch {} {} from seq {}", node.id(), t.kind(), next.epoch(), next.role(),
                next.baseSeq());
        return next;
    }

    private void requireRole(NodeState current, Transition t) {
        boolean ok = switch (t.kind()) {
            case PROMOTE -> current.role() == SiteRoleState.MIRROR;
            case DEMOTE -> current.role() == SiteRoleState.PRIMARY;
            case REJOIN, RESTORE -> true;
        };
        if (!ok) {
            throw new IllegalStateException("node " + node.id() + " is " + current.role() + " at epoch "
                    + current.epoch() + ": cannot " + t.kind());
        }
    }

    private NodeState seed(NodeState current, Transition t) throws IOException {
        long old = current.epoch();
        long e = t.newEpoch();
        switch (t.kind()) {
            case PROMOTE: {
                long m = StoreSeeder.primaryFromMirror(layout.mirror(old), layout.kv(e), layout.hook(e), e,
                        t.failover());
                return new NodeState(e, SiteRoleState.PRIMARY, m, t.failover(), layout.relative(layout.mirror(old)));
            }
            case DEMOTE: {
                long s = StoreSeeder.mirrorFromDrainedPrimary(layout.kv(old), layout.hook(old), layout.mirror(e), e);
                return new NodeState(e, SiteRoleState.MIRROR, s, false, layout.relative(layout.kv(old)));
            }
            case REJOIN: {
                boolean wasPrimary = current.isPrimary();
                HookMetadata meta = wasPrimary ? StoreSeeder.readSealedHook(layout.hook(old))
                        : StoreSeeder.readSealedHook(layout.mirror(old));
                if (t.fullCopy() != null) {
                    StoreSeeder.mirrorFromPairs(t.fullCopy(), meta.forkPoints(), meta.epoch(), layout.mirror(e), e,
                            t.forkSeq());
                } else {
                    requireRewindable(meta, wasPrimary, t);
                    StoreSeeder.mirrorByRewind(wasPrimary ? layout.kv(old) : layout.mirror(old), meta.forkPoints(),
                            meta.epoch(), layout.mirror(e), e, t.forkSeq(), t.forkValues());
                }
                return new NodeState(e, SiteRoleState.MIRROR, t.forkSeq(), true,
                        layout.relative(wasPrimary ? layout.kv(old) : layout.mirror(old)));
            }
            case RESTORE: {
                long seq = StoreSeeder.primaryFromSnapshot(t.snapshot(), layout.base(e), layout.kv(e),
                        layout.hook(e), e);
                return new NodeState(e, SiteRoleState.PRIMARY, seq, true, layout.relative(layout.base(e)));
            }
            default:
                throw new IllegalStateException("unknown transition " + t.kind());
        }
    }

    /**
     * A rewind needs every entry after the fork point (to know which keys to restore) and a value for each key
     * they touched.
     */
    private void requireRewindable(HookMetadata meta, boolean wasPrimary, Transition t) {
        long fork = t.forkSeq();
        long sealed = meta.sealedSeq();
        if (sealed < fork) {
            throw new IllegalStateException("node " + node.id() + " is sealed at " + sealed + ", behind the fork point "
                    + fork + ": it cannot rewind forward; rejoin with a full copy");
        }
        if (wasPrimary && meta.quackedSeq() > fork) {
            throw new IllegalStateException("node " + node.id() + " dropped entries up to " + meta.quackedSeq()
                    + " from its outbox, past the fork point " + fork + ": rejoin with a full copy");
        }
        Path stateDir = wasPrimary ? layout.hook(state.epoch()) : layout.mirror(state.epoch());
        for (StoreSeeder.KeyBytes k : StoreSeeder.touchedKeys(StoreSeeder.entriesAfter(stateDir, wasPrimary, fork))) {
            if (!t.forkValues().containsKey(k)) {
                throw new IllegalStateException("no fork-point value given for key " + k + " touched after seq "
                        + fork);
            }
        }
    }

    private synchronized void stopEpoch() {
        EpochRuntime rt = runtime;
        runtime = null;
        if (rt != null) {
            rt.close();
        }
        metrics.removeMatching(MetricFilter.ALL);
    }

    /** A primary that finds the other site primary at a newer epoch seals itself (it was failed over from). */
    private void watchForNewerPrimary() {
        try {
            NodeState s = state;
            EpochRuntime rt = runtime;
            if (rt == null || !s.isPrimary() || fencedBy != null) {
                return;
            }
            Optional<HookMetadata> m = localMetadata();
            if (m.isPresent() && m.get().isSealed()) {
                return;
            }
            if (rt.primary != null && rt.primary.link().forkPoint().isPresent()) {
                var fork = rt.primary.link().forkPoint().get();
                fencedBy = config.otherSite(site.id()).id() + " is primary at epoch " + fork.epoch()
                        + " (it answered with FENCED, fork point seq " + fork.seq() + ")";
                LOG.error("ALARM node {}: {}; sealing this site", node.id(), fencedBy);
                seal();
                return;
            }
            SiteConfig other = config.otherSite(site.id());
            for (NodeConfig n : other.nodes()) {
                Optional<NodeClient.Status> peer = NodeClient.tryStatus(n, Duration.ofMillis(500));
                if (peer.isPresent() && peer.get().primary() && peer.get().epoch() > s.epoch()) {
                    fencedBy = other.id() + " is primary at epoch " + peer.get().epoch();
                    LOG.error("ALARM node {}: {} while this site is primary at epoch {}: sealing this site (fenced)",
                            node.id(), fencedBy, s.epoch());
                    seal();
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("fence watch", e);
        }
    }

    private EpochRuntime requireRuntime() {
        EpochRuntime rt = runtime;
        if (rt == null) {
            throw new IllegalStateException(awaiting != null ? awaiting : "node " + node.id() + " is between epochs");
        }
        return rt;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        watcher.shutdownNow();
        stopEpoch();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
