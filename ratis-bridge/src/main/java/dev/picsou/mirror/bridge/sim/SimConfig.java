package dev.picsou.mirror.bridge.sim;

import dev.picsou.mirror.bridge.picsou.PicsouParams;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One simulated run: the link, the network, the workload and the faults. Immutable; validated at construction
 * (an {@link InvalidSimConfigException} names the field). Build with {@link #builder()}, whose setters document the
 * defaults.
 *
 * <p>Which replicas are faulty: the {@code crashSenders} <em>highest</em> sender indices are down for the whole
 * run; on the receiving site the {@code crashReceivers} highest indices are down and the {@code byzantineReceivers}
 * indices just below them are Byzantine. So index 0, the initial leader of both sites, stays correct. All faults
 * of a site at any instant (crashed from the start, Byzantine, and down between a crash and its restart) must fit
 * in that site's {@code u} (in stake units); Byzantine receivers must also fit in {@code receiverR}.
 *
 * @param protocol          stream protocol name ({@code picsou}, {@code ata}, {@code ll}, {@code otu}, {@code ost})
 * @param senders           replicas of the sending site
 * @param receivers         replicas of the receiving site
 * @param senderU           faults the sending site tolerates
 * @param senderR           Byzantine faults among them
 * @param receiverU         faults the receiving site tolerates
 * @param receiverR         Byzantine faults among them
 * @param senderStakes      stake per sender, empty for equal stakes
 * @param receiverStakes    stake per receiver, empty for equal stakes
 * @param entries           entries the sending site commits ({@code K})
 * @param entryBytes        payload bytes per entry
 * @param uplinkMbps        uplink and downlink bandwidth of every replica, Mbit/s
 * @param oneWayDelayMs     propagation delay between the sites
 * @param jitterMs          extra delay per frame, uniform in {@code [0, jitterMs]}; reorders frames
 * @param loss              probability that a cross-site frame is lost
 * @param duplicate         probability that a cross-site frame is delivered twice
 * @param partitions        windows in which the sites cannot talk
 * @param crashSenders      senders down for the whole run (the highest indices)
 * @param crashReceivers    receivers down for the whole run (the highest indices)
 * @param restarts          crash-restart events
 * @param byzantineReceivers Byzantine receivers (the indices just below the crashed ones)
 * @param byzantineMode     how the Byzantine receivers misbehave
 * @param rateEntriesPerS   offered load; 0 = saturating closed loop (commit while {@code committed - durable <
 *                          windowEntries})
 * @param siteCommitDelayMs time the receiving site takes to commit a delivered entry in its own log
 * @param senderSkewMs      each sender applies committed entries up to this much later (seeded per replica)
 * @param seed              seed of every random choice (payloads, loss, jitter, skews, Byzantine choices)
 * @param maxSimSeconds     safety limit of simulated time; reaching it is a violation
 * @param paramsOverride    engine parameters to use instead of {@link #derivedParams()}, or null
 */
public record SimConfig(
        String protocol,
        int senders,
        int receivers,
        int senderU,
        int senderR,
        int receiverU,
        int receiverR,
        List<Integer> senderStakes,
        List<Integer> receiverStakes,
        int entries,
        int entryBytes,
        double uplinkMbps,
        double oneWayDelayMs,
        double jitterMs,
        double loss,
        double duplicate,
        List<Partition> partitions,
        int crashSenders,
        int crashReceivers,
        List<CrashRestart> restarts,
        int byzantineReceivers,
        ByzantineMode byzantineMode,
        double rateEntriesPerS,
        double siteCommitDelayMs,
        double senderSkewMs,
        long seed,
        double maxSimSeconds,
        PicsouParams paramsOverride) {

    /** Most replicas per site the simulator accepts. */
    public static final int MAX_REPLICAS = 1000;

    public SimConfig {
        senderStakes = List.copyOf(senderStakes);
        receiverStakes = List.copyOf(receiverStakes);
        partitions = List.copyOf(partitions);
        restarts = List.copyOf(restarts);
        check(protocol != null && !protocol.isBlank(), "protocol", "must be set");
        check(senders >= 1 && senders <= MAX_REPLICAS, "senders", "must be in [1, " + MAX_REPLICAS + "], was " + senders);
        check(receivers >= 1 && receivers <= MAX_REPLICAS, "receivers",
                "must be in [1, " + MAX_REPLICAS + "], was " + receivers);
        checkStakes("senderStakes", senderStakes, senders);
        checkStakes("receiverStakes", receiverStakes, receivers);
        checkFaultBounds("sender", senderU, senderR, total(senderStakes, senders));
        checkFaultBounds("receiver", receiverU, receiverR, total(receiverStakes, receivers));
        check(entries >= 1, "entries", "must be >= 1, was " + entries);
        check(entryBytes >= 1 && entryBytes <= (256 << 20), "entryBytes", "must be in [1, 268435456], was " + entryBytes);
        check(uplinkMbps > 0 && Double.isFinite(uplinkMbps), "uplinkMbps", "must be > 0, was " + uplinkMbps);
        checkNonNegative("oneWayDelayMs", oneWayDelayMs);
        checkNonNegative("jitterMs", jitterMs);
        check(loss >= 0 && loss < 1, "loss", "must be in [0, 1), was " + loss);
        check(duplicate >= 0 && duplicate < 1, "duplicate", "must be in [0, 1), was " + duplicate);
        check(crashSenders >= 0 && crashSenders < senders, "crashSenders",
                "must be in [0, senders), was " + crashSenders);
        check(crashReceivers >= 0 && crashReceivers < receivers, "crashReceivers",
                "must be in [0, receivers), was " + crashReceivers);
        check(byzantineReceivers >= 0 && byzantineReceivers + crashReceivers < receivers, "byzantineReceivers",
                "must be >= 0 and leave a correct receiver, was " + byzantineReceivers);
        check(byzantineMode != null, "byzantineMode", "must be set");
        check(byzantineReceivers <= receiverR, "byzantineReceivers",
                "must not exceed receiverR (" + receiverR + "), was " + byzantineReceivers);
        checkNonNegative("rateEntriesPerS", rateEntriesPerS);
        checkNonNegative("siteCommitDelayMs", siteCommitDelayMs);
        checkNonNegative("senderSkewMs", senderSkewMs);
        check(maxSimSeconds > 0 && Double.isFinite(maxSimSeconds), "maxSimSeconds",
                "must be > 0, was " + maxSimSeconds);
        FaultPlan.validate(senders, receivers, senderU, receiverU, receiverR, senderStakes, receiverStakes,
                crashSenders, crashReceivers, byzantineReceivers, restarts);
        if (paramsOverride != null) {
            checkOverride(paramsOverride, senders, receivers, senderU, senderR, receiverU, receiverR, senderStakes,
                    receiverStakes);
        }
    }

    /** A builder with every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Stake of sender {@code i}. */
    public int senderStake(int i) {
        return senderStakes.isEmpty() ? 1 : senderStakes.get(i);
    }

    /** Stake of receiver {@code j}. */
    public int receiverStake(int j) {
        return receiverStakes.isEmpty() ? 1 : receiverStakes.get(j);
    }

    /** Whether sender {@code i} is down for the whole run. */
    public boolean senderCrashedFromStart(int i) {
        return FaultPlan.crashedFromStart(i, senders, crashSenders);
    }

    /** Whether receiver {@code j} is down for the whole run. */
    public boolean receiverCrashedFromStart(int j) {
        return FaultPlan.crashedFromStart(j, receivers, crashReceivers);
    }

    /** Whether receiver {@code j} is Byzantine. */
    public boolean receiverByzantine(int j) {
        return FaultPlan.byzantine(j, receivers, crashReceivers, byzantineReceivers);
    }

    /** The engine parameters of the run: {@link #paramsOverride()} when set, else {@link #derivedParams()}. */
    public PicsouParams params() {
        return paramsOverride != null ? paramsOverride : derivedParams();
    }

    /**
     * Engine parameters derived from the link: the fault bounds and stakes; a window of three times the bandwidth-delay
     * product of the whole sending site, its round trip including the batch delay, the site commit and
     * the ack interval (at least 64 entries, 8 batches and 4 entries); a reorder grace of 3 ms plus the
     * jitter; retransmission timeouts from the round trip (min: RTT + 5 ms and at least 20 ms; initial: 4 RTT and
     * at least 500 ms; max: 10 s, or 4 times the initial when that is more); a link secret derived from the seed
     * when either site has Byzantine replicas. Everything else keeps the {@link PicsouParams} defaults.
     */
    public PicsouParams derivedParams() {
        PicsouParams.Builder b = PicsouParams.builder(senders, receivers)
                .senderFaults(senderU, senderR)
                .receiverFaults(receiverU, receiverR)
                .senderStakes(senderStakes)
                .receiverStakes(receiverStakes);
        if (senderR > 0 || receiverR > 0) {
            byte[] secret = new byte[32];
            new SplittableRandom(seed ^ 0x5EC2E7L).nextBytes(secret);
            b.linkSecret(secret);
        }
        // A frame should occupy a replica's uplink for about a millisecond: longer frames make the shares of
        // different senders overtake each other by whole frame times, which reads as loss.
        double linkBytesPerMs = uplinkMbps * 125.0;
        b.batchMaxBytes((int) Math.max(entryBytes, Math.min(256 * 1024, 2 * linkBytesPerMs)));
        PicsouParams defaults = b.build();
        double rttMs = 2 * (oneWayDelayMs + jitterMs) + siteCommitDelayMs
                + defaults.batchDelayNanos() / 1e6 + defaults.ackIntervalNanos() / 1e6;
        double bytesPerMs = uplinkMbps * 125.0;
        // Three round trips: a lost entry is repaired within about two more, and the stream must not stall on it.
        double bdpBytes = 3 * senders * bytesPerMs * rttMs;
        long windowBytes = (long) Math.max(bdpBytes,
                Math.max(8.0 * defaults.batchMaxBytes(), 4.0 * entryBytes));
        long windowEntries = Math.max(64, Math.min(1 << 18, windowBytes / entryBytes + 1));
        windowBytes = Math.max(windowBytes, windowEntries * entryBytes);
        long rttNanos = (long) (rttMs * 1e6);
        long minRto = Math.max(20_000_000L, rttNanos + 5_000_000L);
        long initialRto = Math.max(500_000_000L, 4 * rttNanos);
        long maxRto = Math.max(10_000_000_000L, 4 * initialRto);
        b.windowEntries((int) windowEntries)
                .windowBytes(windowBytes)
                .reorderGraceNanos(3_000_000L + (long) (jitterMs * 1e6))
                .minRetransmitTimeoutNanos(minRto)
                .initialRetransmitTimeoutNanos(initialRto)
                .maxRetransmitTimeoutNanos(maxRto);
        return b.build();
    }

    /** A one-line description of everything that shapes the run, for failure messages and logs. */
    public String describe() {
        PicsouParams p = params();
        return "protocol=" + protocol + " senders=" + senders + " receivers=" + receivers
                + " sender(u,r)=(" + senderU + "," + senderR + ") receiver(u,r)=(" + receiverU + "," + receiverR + ")"
                + (senderStakes.isEmpty() ? "" : " senderStakes=" + senderStakes)
                + (receiverStakes.isEmpty() ? "" : " receiverStakes=" + receiverStakes)
                + " entries=" + entries + " entryBytes=" + entryBytes + " uplinkMbps=" + uplinkMbps
                + " oneWayDelayMs=" + oneWayDelayMs + " jitterMs=" + jitterMs + " loss=" + loss
                + " duplicate=" + duplicate + " partitions=" + partitions + " crashSenders=" + crashSenders
                + " crashReceivers=" + crashReceivers + " restarts=" + restarts
                + " byzantineReceivers=" + byzantineReceivers
                + (byzantineReceivers > 0 ? " byzantineMode=" + byzantineMode : "")
                + " rateEntriesPerS=" + rateEntriesPerS + " siteCommitDelayMs=" + siteCommitDelayMs
                + " senderSkewMs=" + senderSkewMs + " seed=" + seed + " maxSimSeconds=" + maxSimSeconds
                + " params=" + describeTuning(p);
    }

    private static String describeTuning(PicsouParams p) {
        return "{windowEntries=" + p.windowEntries() + " windowBytes=" + p.windowBytes()
                + " batchMaxBytes=" + p.batchMaxBytes() + " batchDelayNanos=" + p.batchDelayNanos()
                + " phiBits=" + p.phiBits() + " ackIntervalNanos=" + p.ackIntervalNanos()
                + " ackEveryEntries=" + p.ackEveryEntries() + " ackFanout=" + p.ackFanout()
                + " reorderGraceNanos=" + p.reorderGraceNanos()
                + " rto(initial,min,max)=(" + p.initialRetransmitTimeoutNanos() + ","
                + p.minRetransmitTimeoutNanos() + "," + p.maxRetransmitTimeoutNanos() + ")"
                + " scheduleQuantum=" + p.scheduleQuantum() + " authenticated=" + p.authenticated() + "}";
    }

    static void check(boolean ok, String field, String problem) {
        if (!ok) {
            throw new InvalidSimConfigException(field, problem);
        }
    }

    private static void checkNonNegative(String field, double v) {
        check(v >= 0 && Double.isFinite(v), field, "must be >= 0, was " + v);
    }

    private static void checkStakes(String field, List<Integer> stakes, int n) {
        if (stakes.isEmpty()) {
            return;
        }
        check(stakes.size() == n, field, "must have one stake per replica (" + n + "), had " + stakes.size());
        for (Integer s : stakes) {
            check(s != null && s >= 1, field, "must all be >= 1, found " + s);
        }
    }

    private static void checkFaultBounds(String site, int u, int r, long totalStake) {
        check(u >= 0, site + "U", "must be >= 0, was " + u);
        check(r >= 0 && r <= u, site + "R", "must be in [0, " + site + "U=" + u + "], was " + r);
        check(totalStake >= 2L * u + r + 1, site + "U",
                "too large for the site: needs a total stake of at least 2u+r+1 = " + (2L * u + r + 1)
                        + ", the site has " + totalStake);
    }

    static long total(List<Integer> stakes, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += stakes.isEmpty() ? 1 : stakes.get(i);
        }
        return sum;
    }

    private static void checkOverride(PicsouParams p, int senders, int receivers, int senderU, int senderR,
            int receiverU, int receiverR, List<Integer> senderStakes, List<Integer> receiverStakes) {
        check(p.senders() == senders && p.receivers() == receivers, "params",
                "must be for " + senders + "+" + receivers + " replicas, was for " + p.senders() + "+" + p.receivers());
        check(p.senderU() == senderU && p.senderR() == senderR && p.receiverU() == receiverU
                        && p.receiverR() == receiverR, "params",
                "must carry the configured fault bounds sender(u,r)=(" + senderU + "," + senderR + ") receiver(u,r)=("
                        + receiverU + "," + receiverR + "), had (" + p.senderU() + "," + p.senderR() + ") ("
                        + p.receiverU() + "," + p.receiverR() + ")");
        check(p.senderStakes().equals(senderStakes) && p.receiverStakes().equals(receiverStakes), "params",
                "must carry the configured stakes");
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private String protocol = "picsou";
        private int senders = 4;
        private int receivers = 4;
        private Integer senderU;
        private int senderR;
        private Integer receiverU;
        private int receiverR;
        private List<Integer> senderStakes = List.of();
        private List<Integer> receiverStakes = List.of();
        private int entries = 20_000;
        private int entryBytes = 1024;
        private double uplinkMbps = 1000;
        private double oneWayDelayMs = 20;
        private double jitterMs;
        private double loss;
        private double duplicate;
        private final List<Partition> partitions = new ArrayList<>();
        private int crashSenders;
        private int crashReceivers;
        private final List<CrashRestart> restarts = new ArrayList<>();
        private int byzantineReceivers;
        private ByzantineMode byzantineMode = ByzantineMode.DROP_ALL;
        private double rateEntriesPerS;
        private double siteCommitDelayMs = 2;
        private double senderSkewMs;
        private long seed = 1;
        private double maxSimSeconds = 600;
        private PicsouParams paramsOverride;

        private Builder() {
        }

        private Builder(SimConfig c) {
            protocol = c.protocol;
            senders = c.senders;
            receivers = c.receivers;
            senderU = c.senderU;
            senderR = c.senderR;
            receiverU = c.receiverU;
            receiverR = c.receiverR;
            senderStakes = c.senderStakes;
            receiverStakes = c.receiverStakes;
            entries = c.entries;
            entryBytes = c.entryBytes;
            uplinkMbps = c.uplinkMbps;
            oneWayDelayMs = c.oneWayDelayMs;
            jitterMs = c.jitterMs;
            loss = c.loss;
            duplicate = c.duplicate;
            partitions.addAll(c.partitions);
            crashSenders = c.crashSenders;
            crashReceivers = c.crashReceivers;
            restarts.addAll(c.restarts);
            byzantineReceivers = c.byzantineReceivers;
            byzantineMode = c.byzantineMode;
            rateEntriesPerS = c.rateEntriesPerS;
            siteCommitDelayMs = c.siteCommitDelayMs;
            senderSkewMs = c.senderSkewMs;
            seed = c.seed;
            maxSimSeconds = c.maxSimSeconds;
            paramsOverride = c.paramsOverride;
        }

        /** Default {@code picsou}. */
        public Builder protocol(String v) { protocol = v; return this; }
        /** Default 4. */
        public Builder senders(int v) { senders = v; return this; }
        /** Default 4. */
        public Builder receivers(int v) { receivers = v; return this; }
        /** Default CFT: {@code u = (total stake - 1) / 2}. */
        public Builder senderU(int v) { senderU = v; return this; }
        /** Default 0. */
        public Builder senderR(int v) { senderR = v; return this; }
        /** Default CFT: {@code u = (total stake - 1) / 2}. */
        public Builder receiverU(int v) { receiverU = v; return this; }
        /** Default 0. */
        public Builder receiverR(int v) { receiverR = v; return this; }
        /** Sets both fault bounds of the sending site. */
        public Builder senderFaults(int u, int r) { senderU = u; senderR = r; return this; }
        /** Sets both fault bounds of the receiving site. */
        public Builder receiverFaults(int u, int r) { receiverU = u; receiverR = r; return this; }
        /** Default empty: equal stakes. */
        public Builder senderStakes(List<Integer> v) { senderStakes = new ArrayList<>(v); return this; }
        /** Default empty: equal stakes. */
        public Builder receiverStakes(List<Integer> v) { receiverStakes = new ArrayList<>(v); return this; }
        /** Default 20000. */
        public Builder entries(int v) { entries = v; return this; }
        /** Default 1024. */
        public Builder entryBytes(int v) { entryBytes = v; return this; }
        /** Default 1000 Mbit/s, for the uplink and for the downlink of every replica. */
        public Builder uplinkMbps(double v) { uplinkMbps = v; return this; }
        /** Default 20 ms. */
        public Builder oneWayDelayMs(double v) { oneWayDelayMs = v; return this; }
        /** Default 0 ms. */
        public Builder jitterMs(double v) { jitterMs = v; return this; }
        /** Default 0. */
        public Builder loss(double v) { loss = v; return this; }
        /** Default 0. */
        public Builder duplicate(double v) { duplicate = v; return this; }
        /** Default none; adds one partition window. */
        public Builder partition(long startMs, long endMs) { partitions.add(new Partition(startMs, endMs)); return this; }
        /** Replaces the partition windows. */
        public Builder partitions(List<Partition> v) { partitions.clear(); partitions.addAll(v); return this; }
        /** Default 0. */
        public Builder crashSenders(int v) { crashSenders = v; return this; }
        /** Default 0. */
        public Builder crashReceivers(int v) { crashReceivers = v; return this; }
        /** Default none; adds one crash-restart event. */
        public Builder restart(Side side, int index, long crashAtMs, long restartAtMs) {
            restarts.add(new CrashRestart(side, index, crashAtMs, restartAtMs));
            return this;
        }
        /** Replaces the crash-restart events. */
        public Builder restarts(List<CrashRestart> v) { restarts.clear(); restarts.addAll(v); return this; }
        /** Default 0. */
        public Builder byzantineReceivers(int v) { byzantineReceivers = v; return this; }
        /** Default {@link ByzantineMode#DROP_ALL}. */
        public Builder byzantineMode(ByzantineMode v) { byzantineMode = v; return this; }
        /** Default 0: saturating closed loop. */
        public Builder rateEntriesPerS(double v) { rateEntriesPerS = v; return this; }
        /** Default 2 ms. */
        public Builder siteCommitDelayMs(double v) { siteCommitDelayMs = v; return this; }
        /** Default 0 ms. */
        public Builder senderSkewMs(double v) { senderSkewMs = v; return this; }
        /** Default 1. */
        public Builder seed(long v) { seed = v; return this; }
        /** Default 600 s of simulated time. */
        public Builder maxSimSeconds(double v) { maxSimSeconds = v; return this; }
        /** Default null: use {@link SimConfig#derivedParams()}. */
        public Builder params(PicsouParams v) { paramsOverride = v; return this; }

        /** Validates and builds; throws {@link InvalidSimConfigException} naming the field at fault. */
        public SimConfig build() {
            int su = senderU != null ? senderU : (int) ((total(senderStakes, senders) - 1) / 2);
            int ru = receiverU != null ? receiverU : (int) ((total(receiverStakes, receivers) - 1) / 2);
            if (!senderStakes.isEmpty() && senderStakes.size() != senders) {
                su = Math.max(0, (senders - 1) / 2);
            }
            if (!receiverStakes.isEmpty() && receiverStakes.size() != receivers) {
                ru = Math.max(0, (receivers - 1) / 2);
            }
            return new SimConfig(protocol, senders, receivers, su, senderR, ru, receiverR, senderStakes,
                    receiverStakes, entries, entryBytes, uplinkMbps, oneWayDelayMs, jitterMs, loss, duplicate,
                    partitions, crashSenders, crashReceivers, restarts, byzantineReceivers, byzantineMode,
                    rateEntriesPerS, siteCommitDelayMs, senderSkewMs, seed, maxSimSeconds, paramsOverride);
        }
    }

    @Override
    public String toString() {
        return "SimConfig[" + describe() + "]";
    }
}
