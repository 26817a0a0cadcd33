package dev.picsou.mirror.bridge.sim;

import dev.picsou.mirror.bridge.picsou.PicsouParams;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Random small simulation configurations for the campaign: each a function of (protocol, mix, seed) only. */
final class CampaignConfigs {
    private CampaignConfigs() {
    }

    /** Fault mixes of the campaign. */
    enum Mix {
        /** Loss, duplication and jitter (reordering), no crashes. */
        LOSS_DUP_JITTER,
        /** Crashes for the whole run within u on both sites, plus loss. */
        CRASHES_LOSS,
        /** Partitions that heal plus crash-restart events within u. */
        PARTITIONS_RESTARTS,
        /** A BFT receiving site (3f+1, u = r = f) with Byzantine receivers in a random mode, plus a little loss. */
        BFT_BYZANTINE
    }

    static SimConfig random(String protocol, Mix mix, long seed) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + mix.ordinal());
        int senders = 1 + r.nextInt(7);
        int receivers = 1 + r.nextInt(7);
        SimConfig.Builder b = SimConfig.builder()
                .protocol(protocol)
                .senders(senders)
                .receivers(receivers)
                .entries(20 + r.nextInt(281))
                .entryBytes(16 + r.nextInt(497))
                .uplinkMbps(new double[] {10, 100, 1000}[r.nextInt(3)])
                .oneWayDelayMs(0.5 + r.nextDouble() * 30)
                .siteCommitDelayMs(r.nextDouble() * 3)
                .rateEntriesPerS(r.nextBoolean() ? 0 : 500 + r.nextInt(20_000))
                .senderSkewMs(r.nextInt(4) == 0 ? r.nextDouble() * 5 : 0)
                .maxSimSeconds(60)
                .seed(seed);
        int su = (senders - 1) / 2;
        int ru = (receivers - 1) / 2;
        switch (mix) {
            case LOSS_DUP_JITTER -> b.loss(r.nextDouble() * 0.05).duplicate(r.nextDouble() * 0.05)
                    .jitterMs(r.nextDouble() * 10);
            case CRASHES_LOSS -> b.crashSenders(r.nextInt(su + 1)).crashReceivers(r.nextInt(ru + 1))
                    .loss(r.nextDouble() * 0.03);
            case PARTITIONS_RESTARTS -> {
                int partitions = 1 + r.nextInt(2);
                long start = r.nextInt(100);
                for (int p = 0; p < partitions; p++) {
                    long length = 5 + r.nextInt(300);
                    b.partition(start, start + length);
                    start += length + 1 + r.nextInt(200);
                }
                b.restarts(restarts(r, senders, su, receivers, ru));
            }
            case BFT_BYZANTINE -> {
                int f = 1 + r.nextInt(2);
                b.receivers(3 * f + 1).receiverFaults(f, f).byzantineReceivers(1 + r.nextInt(f))
                        .byzantineMode(ByzantineMode.values()[r.nextInt(ByzantineMode.values().length)])
                        .loss(r.nextBoolean() ? 0 : r.nextDouble() * 0.01);
            }
            default -> throw new IllegalArgumentException(mix.name());
        }
        SimConfig provisional = b.build();
        return b.params(tune(provisional.derivedParams(), provisional.senders(), r)).build();
    }

    /** At most u distinct replicas per site, one crash-restart window each, so the site never exceeds u. */
    private static List<CrashRestart> restarts(SplittableRandom r, int senders, int su, int receivers, int ru) {
        List<CrashRestart> out = new ArrayList<>();
        addRestarts(out, r, Side.SENDER, senders, r.nextInt(su + 1));
        addRestarts(out, r, Side.RECEIVER, receivers, r.nextInt(ru + 1));
        return out;
    }

    private static void addRestarts(List<CrashRestart> out, SplittableRandom r, Side side, int n, int count) {
        int offset = r.nextInt(n);
        for (int k = 0; k < count; k++) {
            long crash = r.nextInt(400);
            out.add(new CrashRestart(side, (offset + k) % n, crash, crash + 10 + r.nextInt(300)));
        }
    }

    /** Random tuning that keeps the timers above the real round trip (so the attempt bound stays meaningful). */
    private static PicsouParams tune(PicsouParams d, int senders, SplittableRandom r) {
        long maxRto = Math.max(d.initialRetransmitTimeoutNanos(), 1_000_000_000L + r.nextInt(2_000_000_000));
        return d.toBuilder()
                .windowEntries(8 + r.nextInt(505))
                .batchMaxBytes(512 + r.nextInt(64 << 10))
                .batchDelayNanos(r.nextInt(2_000_001))
                .phiBits(PicsouParams.MIN_PHI_BITS + r.nextInt(1009))
                .ackIntervalNanos(500_000 + r.nextInt(5_000_000))
                .ackEveryEntries(1 + r.nextInt(64))
                .ackFanout(1 + r.nextInt(senders))
                .reorderGraceNanos(d.reorderGraceNanos() + r.nextInt(5_000_000))
                .maxRetransmitTimeoutNanos(maxRto)
                .build();
    }
}
