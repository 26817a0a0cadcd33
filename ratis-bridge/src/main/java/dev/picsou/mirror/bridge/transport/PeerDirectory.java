package dev.picsou.mirror.bridge.transport;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each replica listens. Thread-safe and mutable, because a node that binds port 0 learns its address only
 * after it starts; a {@link NettyTransport} looks the address up again before every connection attempt, so an
 * update takes effect at the next reconnect.
 */
public final class PeerDirectory {
    private final ConcurrentHashMap<PeerId, InetSocketAddress> addresses = new ConcurrentHashMap<>();

    /** An empty directory. */
    public PeerDirectory() {
    }

    /** A directory holding a copy of {@code addresses}. */
    public static PeerDirectory of(Map<PeerId, InetSocketAddress> addresses) {
        PeerDirectory directory = new PeerDirectory();
        addresses.forEach(directory::register);
        return directory;
    }

    /** Records (or replaces) where {@code peer} listens. */
    public void register(PeerId peer, InetSocketAddress address) {
        addresses.put(Objects.requireNonNull(peer, "peer"), Objects.requireNonNull(address, "address"));
    }

    /** Forgets {@code peer}; connection attempts to it back off until it is registered again. */
    public void remove(PeerId peer) {
        addresses.remove(peer);
    }

    /** Where {@code peer} listens, if known. */
    public Optional<InetSocketAddress> address(PeerId peer) {
        return Optional.ofNullable(addresses.get(peer));
    }

    /** A snapshot of the known peers. */
    public Set<PeerId> peers() {
        return Set.copyOf(addresses.keySet());
    }

    @Override
    public String toString() {
        return "PeerDirectory" + addresses;
    }
}
