package dev.picsou.mirror.bridge.baseline;

import static dev.picsou.mirror.bridge.baseline.TestLinks.MS;
import static dev.picsou.mirror.bridge.baseline.TestLinks.assertEveryEntryDeliveredOnce;
import static dev.picsou.mirror.bridge.baseline.TestLinks.assertQuackedEverything;
import static dev.picsou.mirror.bridge.baseline.TestLinks.link;

import dev.picsou.mirror.bridge.picsou.PicsouParams;
import dev.picsou.mirror.bridge.picsou.StreamProtocol;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The retransmitting baselines deliver every entry exactly once and QUACK it, whatever frames a lossy period drops
 * (a partition that heals), and, for those claiming C3B, with one receiving replica crashed as well.
 */
class LossAndCrashPropertyTest {

    @Provide
    Arbitrary<StreamProtocol> resending() {
        return Arbitraries.of(AllToAll.INSTANCE, Otu.INSTANCE, LeaderToLeader.INSTANCE);
    }

    @Property(tries = 60)
    void deliversAndQuacksEverythingAfterALossyPeriodHeals(
            @ForAll("resending") StreamProtocol protocol,
            @ForAll @IntRange(min = 1, max = 4) int senders,
            @ForAll @IntRange(min = 1, max = 5) int receivers,
            @ForAll @IntRange(min = 0, max = 60) int lossPercent,
            @ForAll boolean crashOneReceiver,
            @ForAll long seed) {
        PicsouParams params = link(senders, receivers).windowEntries(16).batchMaxBytes(600).build();
        LinkHarness h = new LinkHarness(protocol, params);
        h.networkDelayNanos = 3 * MS;
        boolean crash = crashOneReceiver && protocol.claimsC3B() && params.receiverU() >= 1;
        if (crash) {
            h.receiverDown[receivers - 1] = true;
        }
        Random network = new Random(seed);
        h.drop = s -> s.atNanos() < 1_000 * MS && network.nextInt(100) < lossPercent;

        for (int round = 0; round < 6; round++) {
            h.commit(10, 100).runFor(150 * MS);
        }
        h.runFor(5_000 * MS);

        assertEveryEntryDeliveredOnce(h);
        boolean leaderBased = protocol != AllToAll.INSTANCE;
        assertQuackedEverything(h, leaderBased ? List.of(params.senderLeader()) : allSenders(senders));
    }

    private static List<Integer> allSenders(int n) {
        return java.util.stream.IntStream.range(0, n).boxed().toList();
    }
}
