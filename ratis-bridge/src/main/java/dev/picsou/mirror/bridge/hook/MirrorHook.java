package dev.picsou.mirror.bridge.hook;

import com.codahale.metrics.MetricRegistry;
import dev.picsou.mirror.bridge.picsou.Picsou;
import dev.picsou.mirror.bridge.picsou.PicsouParams;
import dev.picsou.mirror.bridge.picsou.StreamProtocol;
import dev.picsou.mirror.bridge.transport.TransportFactory;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.ratis.client.RaftClient;

/**
 * Everything one mirror replica needs: the {@link MirrorStateMachine} to give Ratis (the mirror site's own group)
 * and the {@link MirrorLink} that receives the stream and proposes it to that group.
 *
 * <pre>{@code
 * MirrorHook hook = MirrorHook.builder()
 *         .sites("dc-west", "dc-east").replicaIndex(1)
 *         .params(params)
 *         .transport(NettyTransport.factory(nettyConfig))       // sends as PeerId("dc-west", 1)
 *         .storeDir(dataDir.resolve("mirror"))                  // outside the Ratis storage directory
 *         .applier(KvCommand::applyTo)
 *         .raftClient(() -> RaftClient.newBuilder().setRaftGroup(westGroup).setProperties(p)
 *                 .setRetryPolicy(boundedPolicy).build())
 *         .closeRaftClientOnClose(true)                         // made for this hook: close it with it
 *         .build();
 * RaftServer server = RaftServer.newBuilder()...setStateMachine(hook.stateMachine()).build();
 * server.start();
 * hook.start();
 * }</pre>
 * One instance per replica and Ratis server start; build a new one to restart.
 */
public final class MirrorHook implements AutoCloseable {
    private final MirrorStateMachine stateMachine;
    private final MirrorLink link;

    private MirrorHook(MirrorStateMachine stateMachine, MirrorLink link) {
        this.stateMachine = stateMachine;
        this.link = link;
    }

    public static Builder builder() {
        return new Builder();
    }

    public MirrorStateMachine stateMachine() {
        return stateMachine;
    }

    public MirrorLink link() {
        return link;
    }

    /** Starts the link: transport, ingest client (taken from the supplier now) and driver. */
    public MirrorHook start() {
        link.start();
        return this;
    }

    /**
     * Stops the link (and closes the ingest client if told to own it); the state machine is closed by Ratis.
     * Idempotent.
     */
    @Override
    public void close() {
        link.close();
    }

    /** Assembles a {@link MirrorHook}; every setter without a default is required. */
    public static final class Builder {
        private String localSite;
        private String primarySite;
        private int replicaIndex = -1;
        private PicsouParams params;
        private StreamProtocol protocol = Picsou.INSTANCE;
        private TransportFactory transport;
        private Path storeDir;
        private PayloadApplier applier;
        private Supplier<RaftClient> raftClient;
        private boolean closeRaftClient;
        private EntryIngestor.Settings ingest = EntryIngestor.Settings.defaults();
        private MetricRegistry metrics;
        private LongSupplier clock = System::nanoTime;

        private Builder() {
        }

        /** This (mirror) site and the primary site the stream comes from. */
        public Builder sites(String local, String primary) {
            this.localSite = local;
            this.primarySite = primary;
            return this;
        }

        /** This replica's index in the mirror site, as in the link's {@link PicsouParams}. */
        public Builder replicaIndex(int index) {
            this.replicaIndex = index;
            return this;
        }

        public Builder params(PicsouParams p) {
            this.params = p;
            return this;
        }

        /** Picsou (default) or a baseline; must match the primary's. */
        public Builder protocol(StreamProtocol p) {
            this.protocol = p;
            return this;
        }

        /** Makes the transport; it must send as {@code PeerId(localSite, replicaIndex)}. */
        public Builder transport(TransportFactory factory) {
            this.transport = factory;
            return this;
        }

        /** The mirror's RocksDB store (KV state, entry log); keep it outside the Ratis storage directory. */
        public Builder storeDir(Path dir) {
            this.storeDir = dir;
            return this;
        }

        /** Applies one primary payload to the materialized state. */
        public Builder applier(PayloadApplier payloadApplier) {
            this.applier = payloadApplier;
            return this;
        }

        /**
         * Gives the client that proposes ingest batches to this mirror site's group; called once at
         * {@link MirrorHook#start()}. The caller owns it (a site-wide shared client is fine) unless
         * {@link #closeRaftClientOnClose(boolean)} says otherwise. Give it a bounded retry policy. A client per
         * replica isolates the replicas' proposal streams (async requests are ordered per client).
         */
        public Builder raftClient(Supplier<RaftClient> clientSupplier) {
            this.raftClient = clientSupplier;
            return this;
        }

        /** Whether {@link MirrorHook#close()} closes the ingest client (one made for this hook); default false. */
        public Builder closeRaftClientOnClose(boolean close) {
            this.closeRaftClient = close;
            return this;
        }

        /** Default {@link EntryIngestor.Settings#defaults()}. */
        public Builder ingest(EntryIngestor.Settings settings) {
            this.ingest = settings;
            return this;
        }

        public Builder metrics(MetricRegistry registry) {
            this.metrics = registry;
            return this;
        }

        public Builder clock(LongSupplier nanos) {
            this.clock = nanos;
            return this;
        }

        public MirrorHook build() {
            Objects.requireNonNull(localSite, "sites");
            Objects.requireNonNull(primarySite, "sites");
            Objects.requireNonNull(params, "params");
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(storeDir, "storeDir");
            Objects.requireNonNull(applier, "applier");
            Objects.requireNonNull(raftClient, "raftClient");
            Objects.requireNonNull(ingest, "ingest");
            if (localSite.equals(primarySite)) {
                throw new IllegalArgumentException("mirror and primary site must differ, both are " + localSite);
            }
            MetricRegistry registry = metrics != null ? metrics : new MetricRegistry();
            MirrorLinkMetrics linkMetrics = new MirrorLinkMetrics(registry, primarySite);
            MirrorStateMachineMetrics smMetrics = new MirrorStateMachineMetrics(registry);
            MirrorLink link;
            try {
                EntryIngestor ingestor = new EntryIngestor(localSite + "-" + replicaIndex, raftClient,
                        closeRaftClient, ingest, linkMetrics);
                link = new MirrorLink(localSite, primarySite, replicaIndex, params, protocol, transport, ingestor,
                        linkMetrics, clock);
            } catch (RuntimeException e) {
                linkMetrics.close();
                smMetrics.close();
                throw e;
            }
            MirrorStateMachine sm = new MirrorStateMachine(localSite, storeDir, params.epoch(), applier, link,
                    smMetrics);
            return new MirrorHook(sm, link);
        }
    }
}
