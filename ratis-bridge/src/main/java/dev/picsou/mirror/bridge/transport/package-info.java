/**
 * The cross-site channel: how one replica's frames reach a replica of another site.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link dev.picsou.mirror.bridge.transport.Transport}: the one interface; best-effort per-peer FIFO delivery
 *       of {@code Frame}s with writability as backpressure. Built with a
 *       {@link dev.picsou.mirror.bridge.transport.TransportListener}; decorators take a
 *       {@link dev.picsou.mirror.bridge.transport.TransportFactory} so they can interpose their own listener.</li>
 *   <li>{@link dev.picsou.mirror.bridge.transport.NettyTransport}: TCP (NIO), optional mutual TLS
 *       ({@link dev.picsou.mirror.bridge.transport.TlsSettings}); addresses from a mutable
 *       {@link dev.picsou.mirror.bridge.transport.PeerDirectory}.</li>
 *   <li>{@link dev.picsou.mirror.bridge.transport.InMemoryTransport} on an
 *       {@link dev.picsou.mirror.bridge.transport.InMemoryHub}: the same contract in-process, for fast tests.</li>
 *   <li>{@link dev.picsou.mirror.bridge.transport.FaultyTransport} (drop, delay, duplicate, reorder, partition)
 *       and {@link dev.picsou.mirror.bridge.transport.RateLimitedTransport} (bandwidth and one-way delay):
 *       decorators for tests and benchmarks, stackable, e.g.
 *       {@code new FaultyTransport(l -> new RateLimitedTransport(NettyTransport.factory(cfg), l, wan), listener,
 *       faults, seed)}.</li>
 * </ul>
 *
 * <h2>Threading contract</h2>
 * A transport never calls a protocol engine. It hands received frames to its listener, on its own threads (Netty
 * event loops, the hub thread, a decorator's scheduler) or on the thread calling {@code send}/{@code isWritable}/
 * {@code start}/{@code close}; listeners only enqueue into the driver's inbox and return. {@code send} and
 * {@code isWritable} are non-blocking and callable from any thread. Frames from one sender thread to one peer
 * arrive in order unless a fault decorator reorders them.
 *
 * <h2>Connections (Netty)</h2>
 * One server per replica; one outbound connection per peer a replica sends to, opened on the first
 * {@code send}/{@code isWritable} for that peer and kept up with jittered exponential backoff. Frames only flow
 * from the connecting side; the reverse direction uses the peer's own connection. A client starts every
 * connection (inside TLS) with a 9-to-263-byte preamble naming its replica: magic {@code "PCSH"}, version 1,
 * replica index (int16), site identifier length (uint8) and UTF-8 bytes. The server attributes every frame on the
 * connection to that peer and closes the connection if a frame's {@code from} disagrees, if the preamble or any
 * frame is malformed, or if a length prefix exceeds the maximum frame size (refused from the prefix alone).
 *
 * <h2>Security note</h2>
 * With TLS, {@code requireClientAuth} (the default) admits only clients whose certificate chains to the trust
 * store. The replica identity in the preamble is not (yet) bound to the certificate: any trusted node can claim
 * any replica. Hostname verification is off by default because nodes are addressed by IP.
 */
package dev.picsou.mirror.bridge.transport;
