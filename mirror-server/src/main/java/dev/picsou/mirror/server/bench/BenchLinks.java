package dev.picsou.mirror.server.bench;

import dev.picsou.mirror.bridge.transport.LoopbackPorts;
import dev.picsou.mirror.bridge.transport.NettyTransport;
import dev.picsou.mirror.bridge.transport.NettyTransportConfig;
import dev.picsou.mirror.bridge.transport.PeerDirectory;
import dev.picsou.mirror.bridge.transport.PeerId;
import dev.picsou.mirror.bridge.transport.RateLimit;
import dev.picsou.mirror.bridge.transport.RateLimitedTransport;
import dev.picsou.mirror.bridge.transport.TransportFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The Picsou link endpoints of both sites of a bench run (one loopback port per replica) and the transports built
 * on them: Netty, behind the WAN emulator ({@link RateLimitedTransport} on the replica's uplink) when the scenario
 * has one. Remembers every Netty transport it built so that the bytes that crossed between the sites can be
 * counted. The endpoint list travels to a mirror child process as one argument ({@link #encode()}).
 */
public final class BenchLinks {
    /** Site id of the primary. */
    public static final String PRIMARY = "dc-primary";
    /** Site id of the mirror. */
    public static final String MIRROR = "dc-mirror";

    private final Map<PeerId, InetSocketAddress> addresses;
    private final PeerDirectory directory;
    private final Queue<NettyTransport> built = new ConcurrentLinkedQueue<>();

    private BenchLinks(Map<PeerId, InetSocketAddress> addresses) {
        this.addresses = Map.copyOf(addresses);
        this.directory = PeerDirectory.of(addresses);
    }

    /** Free loopback ports for {@code senders} primary and {@code receivers} mirror replicas. */
    public static BenchLinks allocate(int senders, int receivers) {
        Map<PeerId, InetSocketAddress> map = new LinkedHashMap<>();
        List<Integer> ports = LoopbackPorts.free(senders + receivers);
        for (int i = 0; i < senders + receivers; i++) {
            PeerId peer = i < senders ? new PeerId(PRIMARY, i) : new PeerId(MIRROR, i - senders);
            map.put(peer, new InetSocketAddress(InetAddress.getLoopbackAddress(), ports.get(i)));
        }
        return new BenchLinks(map);
    }

    /** {@code site/replica=port,...}: what {@link #decode} reads. */
    public String encode() {
        StringBuilder b = new StringBuilder();
        addresses.forEach((peer, address) -> {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(peer.siteId()).append('/').append(peer.replica()).append('=').append(address.getPort());
        });
        return b.toString();
    }

    /** The endpoints {@link #encode()} wrote. */
    public static BenchLinks decode(String text) {
        Map<PeerId, InetSocketAddress> map = new LinkedHashMap<>();
        for (String item : text.split(",")) {
            int slash = item.indexOf('/');
            int eq = item.indexOf('=');
            if (slash < 1 || eq < slash) {
                throw new IllegalArgumentException("bad endpoint '" + item + "', expected site/replica=port");
            }
            PeerId peer = new PeerId(item.substring(0, slash), Integer.parseInt(item.substring(slash + 1, eq)));
            map.put(peer, new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    Integer.parseInt(item.substring(eq + 1))));
        }
        return new BenchLinks(map);
    }

    /** The transport of {@code self}: Netty on its port, behind {@code wan} when not null. */
    public TransportFactory transport(PeerId self, RateLimit wan) {
        InetSocketAddress bind = addresses.get(self);
        if (bind == null) {
            throw new IllegalArgumentException("no endpoint for " + self);
        }
        NettyTransportConfig config = NettyTransportConfig.builder(self, bind, directory).build();
        TransportFactory netty = listener -> {
            NettyTransport t = new NettyTransport(config, listener);
            built.add(t);
            return t;
        };
        return wan == null ? netty : listener -> new RateLimitedTransport(netty, listener, wan);
    }

    /** Bytes every transport built here wrote to its sockets (frames, headers, acks), ever. */
    public long bytesSent() {
        long sum = 0;
        for (NettyTransport t : built) {
            sum += t.metrics().bytesSent();
        }
        return sum;
    }
}
