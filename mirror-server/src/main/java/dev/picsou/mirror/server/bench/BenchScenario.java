package dev.picsou.mirror.server.bench;

import dev.picsou.mirror.bridge.baseline.Protocols;

import java.time.Duration;
import java.util.Objects;

/**
 * One benchmark scenario: which channel, how big the sites are, what load, which WAN, which faults.
 *
 * @param protocol        {@code picsou}, a baseline ({@code ata, ll, otu, ost}) or {@code none}: the primary site
 *                        alone, no mirroring, the reference the stream must not slow down
 * @param senders         replicas of the primary site
 * @param receivers       replicas of the mirror site (ignored for {@code none})
 * @param entryBytes      bytes of each replicated entry (the encoded KV put the client writes)
 * @param warmup          load before the measurement starts (not counted)
 * @param duration        measured time
 * @param uplinkMbps      per-replica uplink cap between the sites, Mbit/s; 0 for none
 * @param oneWayDelayMs   added one-way delay between the sites
 * @param crashSenders    primary replicas stopped before the load starts (the highest indices; never the leader)
 * @param crashReceivers  mirror replicas stopped before the load starts (the highest indices; never the leader)
 * @param rate            offered client writes per second; 0 saturates (bounded by {@code inFlight} and the
 *                        stream backlog)
 * @param inFlight        client writes outstanding at most
 */
public record BenchScenario(String protocol, int senders, int receivers, int entryBytes, Duration warmup,
                            Duration duration, double uplinkMbps, double oneWayDelayMs, int crashSenders,
                            int crashReceivers, double rate, int inFlight) {

    /** The protocol name of the primary site alone. */
    public static final String NONE = "none";
    /** Smallest entry: a KV put with a 9-byte key and an empty value is 16 bytes. */
    public static final int MIN_ENTRY_BYTES = 100;
    /** Largest entry. */
    public static final int MAX_ENTRY_BYTES = 1 << 20;

    public BenchScenario {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(duration, "duration");
        if (!protocol.equals(NONE)) {
            Protocols.byName(protocol);
        }
        require(senders >= 1 && senders <= 9, "--senders must be in [1, 9], was " + senders);
        require(receivers >= 1 && receivers <= 9, "--receivers must be in [1, 9], was " + receivers);
        require(entryBytes >= MIN_ENTRY_BYTES && entryBytes <= MAX_ENTRY_BYTES,
                "--entry-bytes must be in [" + MIN_ENTRY_BYTES + ", " + MAX_ENTRY_BYTES + "], was " + entryBytes);
        require(!duration.isNegative() && !duration.isZero(), "--duration must be positive");
        require(!warmup.isNegative(), "--warmup must be >= 0");
        require(uplinkMbps >= 0 && Double.isFinite(uplinkMbps), "--uplink-mbps must be >= 0, was " + uplinkMbps);
        require(oneWayDelayMs >= 0 && oneWayDelayMs <= 10_000,
                "--one-way-delay-ms must be in [0, 10000], was " + oneWayDelayMs);
        require(crashSenders >= 0 && crashSenders <= (senders - 1) / 2,
                "--crash-senders must be in [0, " + (senders - 1) / 2 + "] (a minority, the leader stays), was "
                        + crashSenders);
        require(crashReceivers >= 0 && crashReceivers <= (receivers - 1) / 2,
                "--crash-receivers must be in [0, " + (receivers - 1) / 2 + "] (a minority, the leader stays), was "
                        + crashReceivers);
        require(rate >= 0 && Double.isFinite(rate), "--rate must be >= 0 (0 saturates), was " + rate);
        require(inFlight >= 1 && inFlight <= 10_000, "--in-flight must be in [1, 10000], was " + inFlight);
    }

    /** Whether this scenario mirrors at all. */
    public boolean mirrored() {
        return !protocol.equals(NONE);
    }

    /** Whether the WAN emulator sits between the sites. */
    public boolean wanEmulated() {
        return uplinkMbps > 0 || oneWayDelayMs > 0;
    }

    /** Uplink bytes per second of one replica; {@link Long#MAX_VALUE} when uncapped. */
    public long uplinkBytesPerSecond() {
        return uplinkMbps > 0 ? Math.max(1, (long) (uplinkMbps * 125_000)) : Long.MAX_VALUE;
    }

    public BenchScenario withProtocol(String p) {
        return new BenchScenario(p, senders, receivers, entryBytes, warmup, duration, uplinkMbps, oneWayDelayMs,
                crashSenders, crashReceivers, rate, inFlight);
    }

    /** A short human label: {@code picsou 5+5 10240 B 4 Mbit/s 20 ms 1+1 crashed}. */
    public String label() {
        StringBuilder b = new StringBuilder(protocol).append(' ').append(senders);
        if (mirrored()) {
            b.append('+').append(receivers);
        }
        b.append(' ').append(entryBytes).append(" B");
        if (uplinkMbps > 0) {
            b.append(' ').append(trim(uplinkMbps)).append(" Mbit/s");
        }
        if (oneWayDelayMs > 0) {
            b.append(' ').append(trim(oneWayDelayMs)).append(" ms");
        }
        if (crashSenders + crashReceivers > 0) {
            b.append(' ').append(crashSenders).append('+').append(crashReceivers).append(" crashed");
        }
        if (rate > 0) {
            b.append(" @").append(trim(rate)).append("/s");
        }
        return b.toString();
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
