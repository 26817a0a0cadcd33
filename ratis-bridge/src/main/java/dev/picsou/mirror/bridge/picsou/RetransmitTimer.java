package dev.picsou.mirror.bridge.picsou;

/**
 * The adaptive retransmission timeout, from measured acknowledgement latency (send of an entry's first attempt to
 * the first ack that reports it held), in the manner of RFC 6298 but never below twice the smoothed latency:
 * {@code rto = srtt + max(4 * rttvar, srtt)}, clamped to the configured bounds, doubled per attempt already made.
 * The timeout is the backstop for tail losses (duplicate QUACKs find the others), so it errs on the late side:
 * a spurious resend costs WAN bandwidth, a late one only latency. Samples of resent entries are not taken (Karn). Not thread-safe.
 */
public final class RetransmitTimer {
    private final long minNanos;
    private final long maxNanos;
    private long srttNanos = -1;
    private long minSampleNanos = -1;
    private long rttvarNanos;
    private long rtoNanos;

    public RetransmitTimer(long initialNanos, long minNanos, long maxNanos) {
        this.minNanos = minNanos;
        this.maxNanos = maxNanos;
        this.rtoNanos = initialNanos;
    }

    /** Takes one QUACK-latency sample. */
    public void onSample(long latencyNanos) {
        long sample = Math.max(0, latencyNanos);
        minSampleNanos = minSampleNanos < 0 ? sample : Math.min(minSampleNanos, sample);
        if (srttNanos < 0) {
            srttNanos = sample;
            rttvarNanos = sample / 2;
        } else {
            rttvarNanos = (3 * rttvarNanos + Math.abs(srttNanos - sample)) / 4;
            srttNanos = (7 * srttNanos + sample) / 8;
        }
        rtoNanos = clamp(srttNanos + Math.max(4 * rttvarNanos, srttNanos));
    }

    /** How long to wait for attempt {@code attempt} (0 = the original send) before the next attempt. */
    public long timeoutNanos(int attempt) {
        long t = rtoNanos;
        for (int i = 0; i < attempt && t < maxNanos; i++) {
            t <<= 1;
        }
        return clamp(t);
    }

    /** The smallest QUACK latency sampled, or -1 before the first sample. */
    public long minSampleNanos() {
        return minSampleNanos;
    }

    /** Smoothed QUACK latency, or -1 before the first sample. */
    public long smoothedNanos() {
        return srttNanos;
    }

    private long clamp(long v) {
        return Math.max(minNanos, Math.min(maxNanos, v));
    }
}
