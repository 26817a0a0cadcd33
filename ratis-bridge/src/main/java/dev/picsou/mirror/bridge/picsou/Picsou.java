package dev.picsou.mirror.bridge.picsou;

import java.util.function.LongPredicate;

/** The Picsou protocol: C3B with QUACKs, rotating senders and resenders (PICSOU.md). */
public final class Picsou implements StreamProtocol {
    public static final Picsou INSTANCE = new Picsou();

    private Picsou() {
    }

    @Override
    public String name() {
        return "picsou";
    }

    @Override
    public boolean claimsC3B() {
        return true;
    }

    @Override
    public StreamSender newSender(int index, PicsouParams params, long recoveredQuackedSeq) {
        return new PicsouSender(index, params, recoveredQuackedSeq);
    }

    @Override
    public StreamReceiver newReceiver(int index, PicsouParams params) {
        return new PicsouReceiver(index, params);
    }

    /** Attempt 0 of the entry is this replica's (a takeover of a suspected replica's share waits for the next wake). */
    @Override
    public LongPredicate sendsPromptly(int index, PicsouParams params) {
        return new SendSchedule(params).firstSentBy(index);
    }
}
