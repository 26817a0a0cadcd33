package dev.picsou.mirror.bridge.hook;

import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.picsou.PicsouParams;
import dev.picsou.mirror.bridge.transport.InMemoryHub;
import dev.picsou.mirror.bridge.transport.NettyTransport;
import dev.picsou.mirror.bridge.transport.NettyTransportConfig;
import dev.picsou.mirror.bridge.transport.PeerDirectory;
import dev.picsou.mirror.bridge.transport.PeerId;
import dev.picsou.mirror.bridge.transport.Transport;
import dev.picsou.mirror.bridge.transport.TransportFactory;
import dev.picsou.mirror.storage.StoreCursor;
import dev.picsou.mirror.storage.StoredEntry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * A primary site {@code east} (3 Ratis replicas, each a {@link CountingStateMachine} wrapped by a
 * {@link PrimaryHook}) and a mirror site {@code west} (3 replicas with {@link MirrorHook}s and a
 * {@link KvTestApplier}), linked by an {@link InMemoryHub} or by {@link NettyTransport}s on loopback; everything
 * else is real (Ratis over gRPC, RocksDB).
 */
final class TwoSites implements AutoCloseable {
    static final String EAST = "east";
    static final String WEST = "west";

    /** How the sites' replicas talk to each other. */
    enum Wire { IN_MEMORY, NETTY }

    final InMemoryHub hub = new InMemoryHub();
    private final PeerDirectory directory = new PeerDirectory();
    private final Wire wire;
    final RatisTestSite east;
    final RatisTestSite west;
    final PicsouParams params = PicsouParams.builder(3, 3).linkId(7).epoch(1).build();
    final PrimaryHook[] primaries = new PrimaryHook[3];
    final CountingStateMachine[] inner = new CountingStateMachine[3];
    @SuppressWarnings({"unchecked", "rawtypes"})
    final List<Entry>[] observed = new List[3];
    final MirrorHook[] mirrors = new MirrorHook[3];
    final KvTestApplier[] appliers = new KvTestApplier[3];
    private final Path dir;
    private final DurabilityPolicy durability;
    private final List<RaftClient> clients = new ArrayList<>();
    OutboxLimit outboxLimit = OutboxLimit.NONE;

    TwoSites(Path dir, Consumer<RaftProperties> eastTweak, DurabilityPolicy durability) {
        this(dir, eastTweak, durability, Wire.IN_MEMORY);
    }

    TwoSites(Path dir, Consumer<RaftProperties> eastTweak, DurabilityPolicy durability, Wire wire) {
        this.wire = wire;
        this.dir = dir;
        this.durability = durability;
        this.east = new RatisTestSite("e", 3, dir, eastTweak);
        this.west = new RatisTestSite("w", 3, dir, p -> { });
    }

    void startPrimary(int i) {
        startPrimary(i, 0);
    }

    /**
     * Starts primary replica {@code i} with its user state machine holding the apply of its {@code heldEntry}-th
     * transaction (none if 0).
     */
    void startPrimary(int i, long heldEntry) {
        inner[i] = new CountingStateMachine();
        inner[i].holdApplyOfEntry(heldEntry);
        observed[i] = Collections.synchronizedList(new ArrayList<>());
        List<Entry> seen = observed[i];
        primaries[i] = PrimaryHook.builder()
                .sites(EAST, WEST).replicaIndex(i).params(params)
                .transport(transport(new PeerId(EAST, i)))
                .hookStoreDir(dir.resolve("hook-e" + i))
                .stateMachine(inner[i])
                .durability(durability)
                .outboxLimit(outboxLimit)
                .observer(seen::add)
                .build();
        primaries[i].start();
        registered(primaries[i].link().transport());
        east.start(i, primaries[i].stateMachine());
    }

    void stopPrimary(int i) {
        primaries[i].close();
        east.stop(i);
    }

    void startMirror(int i) {
        appliers[i] = new KvTestApplier();
        mirrors[i] = MirrorHook.builder()
                .sites(WEST, EAST).replicaIndex(i).params(params)
                .transport(transport(new PeerId(WEST, i)))
                .storeDir(dir.resolve("store-w" + i))
                .applier(appliers[i])
                .raftClient(west::newClient)
                .closeRaftClientOnClose(true)
                .build();
        west.start(i, mirrors[i].stateMachine());
        mirrors[i].start();
        registered(mirrors[i].link().transport());
    }

    private TransportFactory transport(PeerId self) {
        if (wire == Wire.IN_MEMORY) {
            return hub.factory(self);
        }
        return NettyTransport.factory(NettyTransportConfig.builder(self, new InetSocketAddress("127.0.0.1", 0),
                        directory)
                .ioThreads(1)
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .shutdownTimeout(Duration.ofSeconds(2))
                .build());
    }

    /** A started Netty transport listens on a port picked at bind time: tell the other replicas. */
    private void registered(Transport t) {
        if (t instanceof NettyTransport netty) {
            directory.register(netty.self(), netty.boundAddress());
        }
    }

    void startAll() {
        for (int i = 0; i < 3; i++) {
            startPrimary(i);
        }
        for (int i = 0; i < 3; i++) {
            startMirror(i);
        }
        east.awaitLeader();
        west.awaitLeader();
    }

    RaftClient eastClient() {
        RaftClient c = east.newClient();
        clients.add(c);
        return c;
    }

    /** Writes {@code key<from>=value<from>} .. {@code key<to>=...}, at most 100 in flight, and waits for all. */
    static void write(RaftClient client, int from, int to, int padding) {
        Semaphore window = new Semaphore(100);
        List<CompletableFuture<RaftClientReply>> replies = new ArrayList<>();
        String pad = "x".repeat(padding);
        for (int k = from; k <= to; k++) {
            window.acquireUninterruptibly();
            CompletableFuture<RaftClientReply> f = client.async().send(Message.valueOf(
                    ByteString.copyFromUtf8("key" + k + "=value" + k + pad)));
            f.whenComplete((r, e) -> window.release());
            replies.add(f);
        }
        for (CompletableFuture<RaftClientReply> f : replies) {
            if (!f.join().isSuccess()) {
                throw new IllegalStateException("write failed: " + f.join());
            }
        }
    }

    /** The entry log of mirror replica {@code i}, in seq order. */
    List<StoredEntry> mirrorEntryLog(int i) {
        List<StoredEntry> out = new ArrayList<>();
        try (StoreCursor<StoredEntry> c = mirrors[i].stateMachine().store().entries().cursor(0)) {
            c.forEachRemaining(out::add);
        }
        return out;
    }

    @Override
    public void close() {
        for (RaftClient c : clients) {
            try {
                c.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (PrimaryHook h : primaries) {
            if (h != null) {
                h.close();
            }
        }
        for (MirrorHook h : mirrors) {
            if (h != null) {
                h.close();
            }
        }
        CompletableFuture<Void> e = CompletableFuture.runAsync(east::close);
        CompletableFuture<Void> w = CompletableFuture.runAsync(west::close);
        e.join();
        w.join();
        hub.close();
    }
}
