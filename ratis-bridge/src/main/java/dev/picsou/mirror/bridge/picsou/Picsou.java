package dev.picsou.mirror.bridge.picsou;

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
}
