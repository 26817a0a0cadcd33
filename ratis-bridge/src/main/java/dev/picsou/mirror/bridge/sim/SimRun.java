package dev.picsou.mirror.bridge.sim;

import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.picsou.PicsouParams;
import dev.picsou.mirror.bridge.picsou.StreamProtocol;
import dev.picsou.mirror.bridge.picsou.StreamReceiver;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One simulated run: owns the clock, the agenda and the replicas, and steps the engines. Single-use; not
 * thread-safe. The protocol engines are driven exactly as {@code StreamSender}/{@code StreamReceiver} specify: one
 * event at a time, time as the simulated nanosecond clock, and one pending {@code onTick} per engine at the
 * deadline it last returned (older ones are cancelled lazily with a version number).
 */
final class SimRun {
    static final int TICK = 1;
    static final int DRAIN = 2;
    static final int CRASH = 3;
    static final int RESTART = 4;
    static final int ELECTION = 5;

    /** Time a site takes to elect a new leader after its leader crashed. */
    static final long ELECTION_DELAY_NANOS = 150_000_000L;
    /** An engine asking for this many ticks at one instant is taken to be spinning. */
    private static final int MAX_TICKS_AT_ONE_INSTANT = 100_000;
    /** Baselines whose receivers ack only the sending site's leader, so followers never learn QUACKs. */
    static final Set<String> LEADER_ACKED = Set.of("ll", "otu");

    private final SimConfig config;
    private final PicsouParams params;
    private final StreamProtocol protocol;
    private final EventQueue queue = new EventQueue();
    private final SimNode[] senders;
    private final SimNode[] receivers;
    private final SimNetwork network;
    private final SendingSite source;
    private final ReceivingSite site;
    private final Invariants invariants;
    private final long maxNanos;
    private final long seed;
    private long now;
    private long events;
    private int pendingFaults;
    private int senderLeader;
    private int receiverLeader;
    private long refusedFrames;
    private String stopReason = "all entries applied and QUACKed";
    private boolean stopped;

    SimRun(SimConfig config, StreamProtocol protocol) {
        this.config = config;
        this.params = config.params();
        this.protocol = protocol;
        this.seed = config.seed();
        SplittableRandom master = new SplittableRandom(config.seed());
        SplittableRandom netRandom = master.split();
        long[] skews = SendingSite.skews(config.senders(), config.senderSkewMs(), master.split());
        this.invariants = new Invariants(config, params.initialRetransmitTimeoutNanos());
        this.senders = new SimNode[config.senders()];
        for (int i = 0; i < senders.length; i++) {
            senders[i] = new SimNode(this, Side.SENDER, i, config.senderStake(i), false,
                    config.senderCrashedFromStart(i), skews[i]);
        }
        this.receivers = new SimNode[config.receivers()];
        for (int j = 0; j < receivers.length; j++) {
            receivers[j] = new SimNode(this, Side.RECEIVER, j, config.receiverStake(j), config.receiverByzantine(j),
                    config.receiverCrashedFromStart(j), 0);
        }
        this.network = new SimNetwork(this, config, params, netRandom);
        this.source = new SendingSite(this, config, params.windowEntries());
        this.site = new ReceivingSite(this, config);
        this.maxNanos = (long) (config.maxSimSeconds() * 1e9);
        this.senderLeader = params.senderLeader();
        this.receiverLeader = params.receiverLeader();
    }

    // ------------------------------------------------------------------------------------------------ accessors

    long now() {
        return now;
    }

    PicsouParams params() {
        return params;
    }

    SimNode[] senders() {
        return senders;
    }

    SimNode[] receivers() {
        return receivers;
    }

    Invariants invariants() {
        return invariants;
    }

    SimNetwork network() {
        return network;
    }

    long siteDurable() {
        return site.durable();
    }

    long sourceCommitted() {
        return source.committed();
    }

    void onRefused() {
        refusedFrames++;
    }

    void propose(Entry e) {
        site.propose(e);
    }

    void schedule(long at, int kind, SimNode node, long arg, Object payload) {
        EventQueue.Event e = queue.obtain();
        e.time = Math.max(at, now);
        e.kind = kind;
        e.node = node;
        e.arg = arg;
        e.payload = payload;
        queue.push(e);
    }

    // ------------------------------------------------------------------------------------------------ the loop

    SimResult execute() {
        for (SimNode n : senders) {
            if (!n.crashedForever) {
                n.alive = true;
                n.sender = protocol.newSender(n.index, params, 0);
            }
        }
        for (SimNode n : receivers) {
            if (!n.crashedForever) {
                n.alive = true;
                n.receiver = newReceiver(n);
            }
        }
        for (CrashRestart r : config.restarts()) {
            SimNode n = (r.side() == Side.SENDER ? senders : receivers)[r.index()];
            schedule(r.crashAtMs() * 1_000_000L, CRASH, n, 0, null);
            schedule(r.restartAtMs() * 1_000_000L, RESTART, n, 0, null);
            pendingFaults += 2;
        }
        source.start();
        try {
            loop();
        } catch (RuntimeException e) {
            invariants.violation("engine or simulator failure at t=" + Invariants.ms(now) + ": " + describe(e));
            stopReason = "stopped by an exception";
        }
        return finish();
    }

    private void loop() {
        while (!stopped) {
            EventQueue.Event e = queue.poll();
            if (e == null) {
                stopReason = "nothing left to happen at t=" + Invariants.ms(now);
                return;
            }
            if (e.time > maxNanos) {
                stopReason = "gave up at maxSimSeconds=" + config.maxSimSeconds();
                now = maxNanos;
                return;
            }
            now = e.time;
            events++;
            dispatch(e);
            queue.recycle(e);
            site.flushProposals();
            if (site.durable() == config.entries() && source.committed() == config.entries() && pendingFaults == 0
                    && (!protocol.claimsC3B() || laggingSenders().isEmpty())) {
                return;
            }
        }
    }

    private void dispatch(EventQueue.Event e) {
        SimNode n = e.node;
        switch (e.kind) {
            case TICK -> onTickEvent(n, e.arg);
            case DRAIN -> onDrain(n, e.arg);
            case CRASH -> crash(n);
            case RESTART -> restart(n);
            case ELECTION -> elect(e.arg == 0 ? Side.SENDER : Side.RECEIVER);
            case SimNetwork.ARRIVE -> network.onArrive(n, (SimNetwork.InFlight) e.payload);
            case SimNetwork.HAND_OVER -> {
                Frame f = network.onHandOver(n, (SimNetwork.InFlight) e.payload);
                if (f != null) {
                    frameArrived(n, f);
                }
            }
            case SendingSite.SOURCE -> source.onSource();
            case SendingSite.FEED -> source.onFeed(n, e.arg);
            case ReceivingSite.COMMIT -> site.onCommit((Entry[]) e.payload);
            default -> throw new IllegalStateException("unknown event kind " + e.kind);
        }
    }

    // ------------------------------------------------------------------------------------------------ engines

    void senderCommitted(SimNode n, Entry e) {
        after(n, n.sender.onEntryCommitted(e, now, n.sink));
    }

    void receiverSiteCommitted(SimNode n, long seq) {
        after(n, n.receiver.onSiteCommitted(seq, now, n.sink));
    }

    void receiverDurable(SimNode n, long durable) {
        after(n, n.receiver.onDurable(durable, now, n.sink));
    }

    void onMirrorDurable(long durable) {
        source.onMirrorDurable(durable);
    }

    private void frameArrived(SimNode n, Frame f) {
        if (n.side == Side.SENDER) {
            after(n, n.sender.onFrame(f, now, n.sink));
        } else {
            after(n, n.receiver.onFrame(f, now, n.sink));
        }
    }

    private void onTickEvent(SimNode n, long version) {
        if (!n.alive || version != n.tickVersion) {
            return;
        }
        if (now == n.lastTickNanos) {
            if (++n.ticksAtSameInstant > MAX_TICKS_AT_ONE_INSTANT) {
                throw new IllegalStateException(n + " asked for more than " + MAX_TICKS_AT_ONE_INSTANT
                        + " ticks at one instant (its deadline never moves past now)");
            }
        } else {
            n.lastTickNanos = now;
            n.ticksAtSameInstant = 0;
        }
        n.tickAt = Long.MAX_VALUE;
        long d = n.side == Side.SENDER ? n.sender.onTick(now, n.sink) : n.receiver.onTick(now, n.sink);
        after(n, d);
    }

    /** After every engine call: keep its one pending tick at the deadline it returned; apply backpressure. */
    private void after(SimNode n, long deadline) {
        if (!n.alive) {
            return;
        }
        setTick(n, deadline);
        if (n.side == Side.SENDER && n.writable && overHighWater(n)) {
            n.writable = false;
            n.drainVersion++;
            schedule(n.upFreeNanos - network.lowWaterNanos, DRAIN, n, n.drainVersion, null);
            for (int r = 0; r < receivers.length && n.alive; r++) {
                setTick(n, n.sender.onLinkWritable(r, false, now, n.sink));
            }
        }
    }

    /** Whether a sender's uplink holds more than the high-water mark (its links are then not writable). */
    boolean overHighWater(SimNode n) {
        return n.side == Side.SENDER && n.upFreeNanos - now > network.highWaterNanos;
    }

    private void setTick(SimNode n, long deadline) {
        if (deadline == n.tickAt) {
            return;
        }
        n.tickVersion++;
        n.tickAt = deadline;
        if (deadline != Long.MAX_VALUE) {
            schedule(deadline, TICK, n, n.tickVersion, null);
        }
    }

    private void onDrain(SimNode n, long version) {
        if (!n.alive || version != n.drainVersion || n.writable) {
            return;
        }
        if (n.upFreeNanos - now > network.lowWaterNanos) {
            schedule(n.upFreeNanos - network.lowWaterNanos, DRAIN, n, version, null);
            return;
        }
        n.writable = true;
        for (int r = 0; r < receivers.length && n.alive && n.writable; r++) {
            after(n, n.sender.onLinkWritable(r, true, now, n.sink));
        }
    }

    // ------------------------------------------------------------------------------------------------ faults

    private StreamReceiver newReceiver(SimNode n) {
        StreamReceiver engine = protocol.newReceiver(n.index, params);
        if (n.byzantine) {
            return new ByzantineReceiver(engine, config.byzantineMode(), n.index, params, seed,
                    config.entries() + 1_000_000L);
        }
        return engine;
    }

    private void crash(SimNode n) {
        pendingFaults--;
        n.alive = false;
        n.sender = null;
        n.receiver = null;
        n.recordCrash(now);
        n.tickVersion++;
        n.tickAt = Long.MAX_VALUE;
        n.writable = true;
        n.drainVersion++;
        network.onCrash(n);
        int leader = n.side == Side.SENDER ? senderLeader : receiverLeader;
        if (leader == n.index) {
            schedule(now + ELECTION_DELAY_NANOS, ELECTION, null, n.side == Side.SENDER ? 0 : 1, null);
        }
    }

    private void restart(SimNode n) {
        pendingFaults--;
        n.alive = true;
        boolean leadersMoved = senderLeader != params.senderLeader() || receiverLeader != params.receiverLeader();
        if (n.side == Side.SENDER) {
            n.sender = protocol.newSender(n.index, params, n.quackFloor);
            if (leadersMoved) {
                after(n, n.sender.onLeaderChanged(senderLeader, receiverLeader, now, n.sink));
            }
            source.onRestart(n);
        } else {
            n.receiver = newReceiver(n);
            if (leadersMoved) {
                after(n, n.receiver.onLeaderChanged(senderLeader, receiverLeader, now, n.sink));
            }
            site.catchUp(n);
            site.onReceiverRestarted();
        }
    }

    /** ELECTION event: if the leader of {@code side} is still down, the lowest correct alive replica takes over. */
    private void elect(Side side) {
        SimNode[] nodes = side == Side.SENDER ? senders : receivers;
        int current = side == Side.SENDER ? senderLeader : receiverLeader;
        if (nodes[current].alive) {
            return;
        }
        for (SimNode n : nodes) {
            if (n.alive && !n.byzantine) {
                if (side == Side.SENDER) {
                    senderLeader = n.index;
                } else {
                    receiverLeader = n.index;
                }
                announceLeaders();
                return;
            }
        }
    }

    private void announceLeaders() {
        for (SimNode n : senders) {
            if (n.alive) {
                after(n, n.sender.onLeaderChanged(senderLeader, receiverLeader, now, n.sink));
            }
        }
        for (SimNode n : receivers) {
            if (n.alive) {
                after(n, n.receiver.onLeaderChanged(senderLeader, receiverLeader, now, n.sink));
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ the end

    /**
     * Alive senders whose QUACKed prefix has not reached the last entry. Every alive sender must get there, except
     * with the leader-based baselines ({@link #LEADER_ACKED}), whose receivers ack only the sending leader: there
     * only the current leader must.
     */
    private List<String> laggingSenders() {
        List<String> lagging = new ArrayList<>();
        boolean leaderOnly = LEADER_ACKED.contains(protocol.name());
        for (SimNode n : senders) {
            if (leaderOnly && n.index != senderLeader) {
                continue;
            }
            if (n.alive && (n.quackFloor < config.entries() || n.sender.quackedSeq() < config.entries())) {
                lagging.add(n + " QUACKed only up to " + Math.min(n.quackFloor, n.sender.quackedSeq()) + " of "
                        + config.entries());
            }
        }
        return lagging;
    }

    private SimResult finish() {
        boolean picsouLike = protocol.claimsC3B() && "picsou".equals(protocol.name());
        boolean synchronousNetwork = config.loss() == 0 && config.duplicate() == 0;
        int bound = picsouLike && synchronousNetwork ? config.senderU() + config.receiverU() + 1 : 0;
        List<String> lagging = stoppedAbnormally() ? List.of() : laggingSenders();
        invariants.finish(protocol.claimsC3B(), bound, lagging, stopReason);
        long[] latencies = invariants.sortedLatencies();
        long delivered = invariants.delivered();
        long span = invariants.lastDurableNanos() - invariants.firstCommitNanos();
        double throughput = delivered > 0 && span > 0 ? delivered / (span / 1e9) : 0;
        long committed = invariants.committed();
        double payloadBytes = (double) config.entries() * config.entryBytes();
        return new SimResult(protocol.name(), config.senders(), config.receivers(), config.seed(), committed,
                delivered, invariants.violationCount(), invariants.messages(), invariants.duplicatesApplied(),
                committed > 0 ? (double) invariants.transmissions() / committed : 0,
                network.bytesSent / payloadBytes, invariants.resends(), invariants.maxAttempts(),
                network.framesSent, network.framesDropped, refusedFrames, throughput,
                throughput * config.entryBytes() / 1e6, percentileMs(latencies, 50), percentileMs(latencies, 99),
                latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e6, now / 1e9, events);
    }

    private boolean stoppedAbnormally() {
        return stopReason.startsWith("stopped by");
    }

    /** Nearest-rank percentile: the smallest value with at least {@code p}% of the values at or below it. */
    static double percentileMs(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    private static String describe(RuntimeException e) {
        StringBuilder sb = new StringBuilder(e.toString());
        StackTraceElement[] trace = e.getStackTrace();
        for (int i = 0; i < Math.min(6, trace.length); i++) {
            sb.append(" at ").append(trace[i]);
        }
        return sb.toString();
    }
}
