package dev.picsou.mirror.bridge.transport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Free loopback ports for servers that one process (or a test) lays out on one machine, chosen <em>below the
 * kernel's ephemeral range</em>.
 *
 * <p>Why not port 0: a port the kernel hands out for binding comes from the ephemeral range, which is also where it
 * picks the source port of every outgoing connection. Between the pick and the server's bind, or while a server
 * restarts on its old port, an outgoing connection can take that port — a peer reconnecting to the very port can
 * even connect to itself (TCP simultaneous open) — and the server fails with "Address already in use". Below the
 * ephemeral range the kernel never picks a source port, so only another server's explicit bind can collide, and
 * the probe here sees those.
 *
 * <p>Candidates are drawn at random (a collision between processes picking at the same moment is then unlikely)
 * and each is probed by binding it on every address and without {@code SO_REUSEADDR} ({@link #bindable}); the
 * ports are distinct. A port handed out is not handed out again by this process for {@link #RESERVED_NANOS}: the
 * probe cannot see a port that another caller here was given but has not bound yet (a test JVM once gave one port
 * to a site's Picsou listener and to a Ratis server of the same site, and Ratis exited the JVM on the failed bind).
 * Falls back to kernel-chosen ports when the range below the ephemeral one is too small.
 *
 * <p>Two processes that lay out one deployment together (the bench and its mirror process) cannot see each other's
 * reservations, so each draws from its own half of the range: {@value #HALF_PROPERTY} {@code =lower} or
 * {@code =upper} (unset: the whole range).
 */
public final class LoopbackPorts {
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int DEFAULT_EPHEMERAL_LOW = 32768;
    private static final int LOWEST = 10_000;
    private static final int MIN_SPAN = 2_000;
    private static final int PROBES_PER_PORT = 200;
    private static final SplittableRandom SEEDS = new SplittableRandom(System.nanoTime() ^ ProcessHandle.current().pid());
    /** How long a port handed out stays reserved for its caller in this process. */
    static final long RESERVED_NANOS = TimeUnit.MINUTES.toNanos(10);
    /** Ports handed out, with when; guarded by itself. */
    private static final Map<Integer, Long> HANDED_OUT = new HashMap<>();
    /** System property: the half of the range this process draws from, {@code lower} or {@code upper}. */
    public static final String HALF_PROPERTY = "picsou.loopbackPorts.half";

    private LoopbackPorts() {
    }

    /** {@code count} distinct ports that were free on the loopback address a moment ago. */
    public static List<Integer> free(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        int low = LOWEST;
        int high = ephemeralLow();
        if (high - low < MIN_SPAN) {
            return kernelChosen(count);
        }
        String half = System.getProperty(HALF_PROPERTY, "");
        int middle = low + (high - low) / 2;
        switch (half) {
            case "" -> { }
            case "lower" -> high = middle;
            case "upper" -> low = middle;
            default -> throw new IllegalArgumentException(HALF_PROPERTY + " must be 'lower' or 'upper', got '" + half
                    + "'");
        }
        SplittableRandom random;
        synchronized (SEEDS) {
            random = SEEDS.split();
        }
        Set<Integer> ports = new LinkedHashSet<>();
        int probes = 0;
        synchronized (HANDED_OUT) {
            long now = System.nanoTime();
            HANDED_OUT.values().removeIf(at -> now - at > RESERVED_NANOS);
            while (ports.size() < count) {
                if (++probes > PROBES_PER_PORT * Math.max(1, count)) {
                    throw new UncheckedIOException(new IOException("no " + count + " free loopback ports in ["
                            + low + ", " + high + ") after " + (probes - 1) + " probes"));
                }
                int candidate = random.nextInt(low, high);
                if (!ports.contains(candidate) && !HANDED_OUT.containsKey(candidate) && bindable(candidate)) {
                    ports.add(candidate);
                }
            }
            for (int port : ports) {
                HANDED_OUT.put(port, now);
            }
        }
        return List.copyOf(ports);
    }

    /** One free port; see {@link #free(int)}. */
    public static int free() {
        return free(1).get(0);
    }

    /** The lowest port of the kernel's ephemeral range (the Linux default when it cannot be read). */
    static int ephemeralLow() {
        // Not Files.readString: procfs reports a size of 0, and JDK 17 then read one byte ("3" of "32768").
        try (BufferedReader reader = Files.newBufferedReader(EPHEMERAL_RANGE, StandardCharsets.US_ASCII)) {
            String[] range = reader.readLine().trim().split("\\s+");
            return Integer.parseInt(range[0]);
        } catch (IOException | RuntimeException e) {
            return DEFAULT_EPHEMERAL_LOW;
        }
    }

    /**
     * Whether a server could bind {@code port} now on every address: the probe binds the wildcard address (as
     * Ratis' gRPC server does), which fails when any address holds the port, and without {@code SO_REUSEADDR}, which
     * fails while connections of an earlier server on that port linger in TIME_WAIT (a server that does not set
     * the option could not bind it either).
     */
    static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<Integer> kernelChosen(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket();
                held.add(s);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                ports.add(s.getLocalPort());
            }
            return List.copyOf(ports);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find " + count + " free loopback ports", e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // the port is free again either way
                }
            }
        }
    }
}
