package dev.picsou.mirror.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Tuning of the channel between the sites ({@code channel:} in the file). Sizes are bytes, never negative.
 *
 * @param protocol                 one of {@link #PROTOCOLS}: Picsou, or a baseline to measure it against
 * @param windowEntries            entries a sender may have in flight beyond the QUACKed prefix
 * @param windowBytes              payload bytes a sender may have in flight beyond the QUACKed prefix
 * @param batchBytes               a frame carries entries up to this many payload bytes
 * @param flushInterval            a partial batch waits at most this long for more entries; zero (the default): it
 *                                 waits for none, and holds what was committed together (no timer per batch)
 * @param phiBits                  width of the acknowledgement bitmap (entries above the watermark), 64..65536
 * @param ackInterval              a receiver sends a standalone acknowledgement at least this often when behind
 * @param reorderGrace             a gap is not reported lost before it is this old (absorbs reordering)
 * @param retransmitTimeoutInitial first retransmit timeout, adapted from measured round trips
 * @param retransmitTimeoutMin     lower bound of the adaptive retransmit timeout
 * @param retransmitTimeoutMax     upper bound of the adaptive retransmit timeout (backoff stops here)
 * @param maxFrameBytes            largest frame accepted on the wire; at least {@code batchBytes}
 */
public record ChannelConfig(String protocol, int windowEntries, long windowBytes, long batchBytes,
                            Duration flushInterval, int phiBits, Duration ackInterval, Duration reorderGrace,
                            Duration retransmitTimeoutInitial, Duration retransmitTimeoutMin,
                            Duration retransmitTimeoutMax, long maxFrameBytes) {
    /** The protocol names {@code protocol} accepts. */
    public static final List<String> PROTOCOLS = List.of("picsou", "ata", "ll", "otu", "ost");

    /** Every key at its default (docs/config.md). */
    public static final ChannelConfig DEFAULT = new ChannelConfig("picsou", 8192, 64L << 20, 256L << 10,
            Duration.ZERO, 16_384, Duration.ofMillis(2), Duration.ofMillis(100), Duration.ofMillis(500),
            Duration.ofMillis(200), Duration.ofSeconds(10), 16L << 20);

    public ChannelConfig {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(flushInterval, "flushInterval");
        if (flushInterval.isNegative()) {
            throw new IllegalArgumentException("flushInterval must not be negative, was " + flushInterval);
        }
        Objects.requireNonNull(ackInterval, "ackInterval");
        Objects.requireNonNull(reorderGrace, "reorderGrace");
        Objects.requireNonNull(retransmitTimeoutInitial, "retransmitTimeoutInitial");
        Objects.requireNonNull(retransmitTimeoutMin, "retransmitTimeoutMin");
        Objects.requireNonNull(retransmitTimeoutMax, "retransmitTimeoutMax");
    }
}
