package dev.picsou.mirror.bridge.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Which replicas are faulty, and the check that a configuration's faults stay within the fault bounds of each
 * site at every instant. Crashed-for-the-whole-run replicas are the highest indices; Byzantine receivers are the
 * indices just below the crashed receivers.
 */
final class FaultPlan {
    private FaultPlan() {
    }

    static boolean crashedFromStart(int index, int n, int crashed) {
        return index >= n - crashed;
    }

    static boolean byzantine(int index, int n, int crashed, int byzantine) {
        return index < n - crashed && index >= n - crashed - byzantine;
    }

    private static int stake(List<Integer> stakes, int i) {
        return stakes.isEmpty() ? 1 : stakes.get(i);
    }

    /** Called from the {@link SimConfig} constructor, with its (already individually checked) components. */
    static void validate(int senders, int receivers, int senderU, int receiverU, int receiverR,
            List<Integer> senderStakes, List<Integer> receiverStakes, int crashSenders, int crashReceivers,
            int byzantineReceivers, List<CrashRestart> restarts) {
        long crashedSenderStake = 0;
        for (int i = 0; i < senders; i++) {
            if (crashedFromStart(i, senders, crashSenders)) {
                crashedSenderStake += stake(senderStakes, i);
            }
        }
        SimConfig.check(crashedSenderStake <= senderU, "crashSenders",
                "must fit in senderU=" + senderU + ", was " + crashSenders + " (stake " + crashedSenderStake + ")");
        long crashedReceiverStake = 0;
        long byzantineStake = 0;
        for (int j = 0; j < receivers; j++) {
            if (crashedFromStart(j, receivers, crashReceivers)) {
                crashedReceiverStake += stake(receiverStakes, j);
            } else if (byzantine(j, receivers, crashReceivers, byzantineReceivers)) {
                byzantineStake += stake(receiverStakes, j);
            }
        }
        SimConfig.check(byzantineStake <= receiverR, "byzantineReceivers",
                "must fit in receiverR=" + receiverR + ", was " + byzantineReceivers + " (stake " + byzantineStake + ")");
        SimConfig.check(crashedReceiverStake + byzantineStake <= receiverU, "crashReceivers",
                "plus byzantineReceivers must fit in receiverU=" + receiverU + ", was " + crashReceivers
                        + " crashed + " + byzantineReceivers + " Byzantine (stake "
                        + (crashedReceiverStake + byzantineStake) + ")");
        checkRestarts(restarts, Side.SENDER, senders, senderStakes, crashSenders, 0, crashedSenderStake, senderU);
        checkRestarts(restarts, Side.RECEIVER, receivers, receiverStakes, crashReceivers, byzantineReceivers,
                crashedReceiverStake + byzantineStake, receiverU);
    }

    private static void checkRestarts(List<CrashRestart> restarts, Side side, int n, List<Integer> stakes,
            int crashed, int byzantine, long permanentStake, int u) {
        List<CrashRestart> mine = new ArrayList<>();
        for (CrashRestart r : restarts) {
            if (r.side() != side) {
                continue;
            }
            SimConfig.check(r.index() < n, "restarts", "index " + r.index() + " out of range for " + n + " "
                    + plural(side) + " (" + r + ")");
            boolean permanent = crashedFromStart(r.index(), n, crashed) || byzantine(r.index(), n, crashed, byzantine);
            SimConfig.check(!permanent, "restarts", "must name a correct replica, but " + r
                    + " names one that is crashed from the start or Byzantine");
            for (CrashRestart other : mine) {
                boolean overlap = other.index() == r.index()
                        && r.crashAtMs() <= other.restartAtMs() && other.crashAtMs() <= r.restartAtMs();
                SimConfig.check(!overlap, "restarts", "windows of one replica must not overlap or touch: " + other
                        + " and " + r);
            }
            mine.add(r);
        }
        // The fault stake only rises at a crash instant, so checking each crash instant suffices.
        for (CrashRestart at : mine) {
            long down = permanentStake;
            for (CrashRestart r : mine) {
                if (r.crashAtMs() <= at.crashAtMs() && at.crashAtMs() < r.restartAtMs()) {
                    down += stake(stakes, r.index());
                }
            }
            SimConfig.check(down <= u, "restarts", "would have a fault stake of " + down + " on the " + plural(side)
                    + " at " + at.crashAtMs() + " ms, more than " + (side == Side.SENDER ? "senderU" : "receiverU")
                    + "=" + u);
        }
    }

    private static String plural(Side side) {
        return side == Side.SENDER ? "senders" : "receivers";
    }
}
