package dev.picsou.mirror.bridge.hook;

import com.codahale.metrics.MetricRegistry;
import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.picsou.Picsou;
import dev.picsou.mirror.bridge.picsou.PicsouParams;
import dev.picsou.mirror.bridge.picsou.StreamProtocol;
import dev.picsou.mirror.bridge.transport.TransportFactory;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.apache.ratis.statemachine.StateMachine;

/**
 * Everything one primary replica needs to mirror its Ratis state machine: the {@link MirroringStateMachine} to hand
 * to Ratis in place of the user's state machine, and the {@link PrimaryLink} that streams to the mirror site.
 *
 * <pre>{@code
 * PrimaryHook hook = PrimaryHook.builder()
 *         .sites("dc-east", "dc-west").replicaIndex(0)
 *         .params(params)                                  // PicsouParams of the link (epoch included)
 *         .transport(NettyTransport.factory(nettyConfig))  // sends as PeerId("dc-east", 0)
 *         .hookStoreDir(dataDir.resolve("hook"))           // outside the Ratis storage directory
 *         .stateMachine(new KvStateMachine(...))
 *         .build();
 * RaftServer server = RaftServer.newBuilder()...setStateMachine(hook.stateMachine()).build();
 * server.start();
 * hook.start();
 * ...
 * server.close();   // closes the state machine and the hook store
 * hook.close();     // stops the link
 * }</pre>
 * The link may be started before or after the Ratis server: its engine starts when the state machine opens the
 * hook store. One instance per replica and Ratis server start; build a new one to restart.
 */
public final class PrimaryHook implements AutoCloseable {
    private final MirroringStateMachine stateMachine;
    private final PrimaryLink link;
    private final ExecutorService completer;

    private PrimaryHook(MirroringStateMachine stateMachine, PrimaryLink link, ExecutorService completer) {
        this.stateMachine = stateMachine;
        this.link = link;
        this.completer = completer;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The state machine to give Ratis. */
    public MirroringStateMachine stateMachine() {
        return stateMachine;
    }

    public PrimaryLink link() {
        return link;
    }

    /** Starts the link (transport and driver). */
    public PrimaryHook start() {
        link.start();
        return this;
    }

    /** Stops the link; the state machine is closed by Ratis. Idempotent. */
    @Override
    public void close() {
        link.close();
        if (completer != null) {
            completer.shutdown();
        }
    }

    /** Assembles a {@link PrimaryHook}; every setter without a default is required. */
    public static final class Builder {
        private String localSite;
        private String mirrorSite;
        private int replicaIndex = -1;
        private PicsouParams params;
        private StreamProtocol protocol = Picsou.INSTANCE;
        private TransportFactory transport;
        private Path hookStoreDir;
        private StateMachine inner;
        private DurabilityPolicy durability = DurabilityPolicy.async();
        private long degradedFromSeq = -1;
        private MetricRegistry metrics;
        private Consumer<Entry> observer;
        private LongSupplier clock = System::nanoTime;

        private Builder() {
        }

        /** This (primary) site and the mirror site the link feeds. */
        public Builder sites(String local, String mirror) {
            this.localSite = local;
            this.mirrorSite = mirror;
            return this;
        }

        /** This replica's index in the primary site, as in the link's {@link PicsouParams}. */
        public Builder replicaIndex(int index) {
            this.replicaIndex = index;
            return this;
        }

        public Builder params(PicsouParams p) {
            this.params = p;
            return this;
        }

        /** Picsou (default) or a baseline, e.g. {@code Protocols.byName("ata")}. */
        public Builder protocol(StreamProtocol p) {
            this.protocol = p;
            return this;
        }

        /** Makes the transport; it must send as {@code PeerId(localSite, replicaIndex)}. */
        public Builder transport(TransportFactory factory) {
            this.transport = factory;
            return this;
        }

        /** The hook's own RocksDB store; keep it outside the Ratis storage directory. */
        public Builder hookStoreDir(Path dir) {
            this.hookStoreDir = dir;
            return this;
        }

        /** The user's state machine, wrapped by the hook. */
        public Builder stateMachine(StateMachine userStateMachine) {
            this.inner = userStateMachine;
            return this;
        }

        /** Default {@link DurabilityPolicy#async()}. */
        /**
         * A sync site that degrades on timeout starts degraded (async, with an alarm) until a mirror QUACKs past
         * {@code baseSeq} and catches up: for an epoch that began with a failover at {@code baseSeq}, whose mirror
         * is fenced. A strict (keep-blocking) site ignores this: its writes wait for a mirror to rejoin.
         */
        public Builder startDegradedAbove(long baseSeq) {
            this.degradedFromSeq = baseSeq;
            return this;
        }

        public Builder durability(DurabilityPolicy policy) {
            this.durability = policy;
            return this;
        }

        /** Where metrics go; default a private registry. */
        public Builder metrics(MetricRegistry registry) {
            this.metrics = registry;
            return this;
        }

        /**
         * Called on the Ratis apply thread with every entry this replica numbers (after it is in the outbox); for
         * history checkers. Must be fast and must not throw.
         */
        public Builder observer(Consumer<Entry> entryObserver) {
            this.observer = entryObserver;
            return this;
        }

        /** Monotonic nanoseconds; default {@code System::nanoTime}. */
        public Builder clock(LongSupplier nanos) {
            this.clock = nanos;
            return this;
        }

        public PrimaryHook build() {
            Objects.requireNonNull(localSite, "sites");
            Objects.requireNonNull(mirrorSite, "sites");
            Objects.requireNonNull(params, "params");
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(hookStoreDir, "hookStoreDir");
            Objects.requireNonNull(inner, "stateMachine");
            Objects.requireNonNull(durability, "durability");
            if (localSite.equals(mirrorSite)) {
                throw new IllegalArgumentException("primary and mirror site must differ, both are " + localSite);
            }
            MetricRegistry registry = metrics != null ? metrics : new MetricRegistry();
            String name = localSite + "/" + replicaIndex + " -> " + mirrorSite;
            ExecutorService completer = durability.isSync() ? Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "picsou-sync-reply-" + localSite + "-" + replicaIndex);
                t.setDaemon(true);
                return t;
            }) : null;
            SyncWaiters waiters = new SyncWaiters(durability, name, completer != null ? completer : Runnable::run);
            if (degradedFromSeq >= 0 && durability.isSync()
                    && durability.onTimeout() == DurabilityPolicy.OnTimeout.DEGRADE_TO_ASYNC) {
                waiters.startDegraded(degradedFromSeq);
            }
            PrimaryLinkMetrics linkMetrics = new PrimaryLinkMetrics(registry, mirrorSite);
            PrimaryLink link;
            try {
                link = new PrimaryLink(localSite, mirrorSite, replicaIndex, params, protocol, transport, waiters,
                        durability, linkMetrics, clock);
            } catch (RuntimeException e) {
                linkMetrics.close();
                if (completer != null) {
                    completer.shutdown();
                }
                throw e;
            }
            MirroringStateMachine sm = new MirroringStateMachine(inner, localSite, hookStoreDir, params.epoch(),
                    link.feed(), waiters, durability, observer, clock);
            return new PrimaryHook(sm, link, completer);
        }
    }
}
