package dev.picsou.mirror.bridge.picsou;

import dev.picsou.mirror.bridge.model.AckFrame;
import dev.picsou.mirror.bridge.model.DataFrame;
import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.FencedFrame;
import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.model.SentEntry;

import java.util.ArrayList;
import java.util.List;

/** An {@link ActionSink} that keeps every action, for assertions. */
final class RecordingSink implements ActionSink {
    record Sent(int peer, Frame frame) {
    }

    final List<Sent> sent = new ArrayList<>();
    final List<Entry> delivered = new ArrayList<>();
    final List<Long> quacked = new ArrayList<>();
    final List<FencedFrame> fenced = new ArrayList<>();
    final List<String> refused = new ArrayList<>();

    @Override
    public boolean send(int peer, Frame frame) {
        sent.add(new Sent(peer, frame));
        return true;
    }

    @Override
    public void deliver(Entry entry) {
        delivered.add(entry);
    }

    @Override
    public void quacked(long seq) {
        quacked.add(seq);
    }

    @Override
    public void fenced(FencedFrame refusal) {
        fenced.add(refusal);
    }

    @Override
    public void refused(int peer, String reason) {
        refused.add(reason);
    }

    /** Every (attempt, seq, receiver) transmission in data frames, in order. */
    List<long[]> transmissions() {
        List<long[]> out = new ArrayList<>();
        for (Sent s : sent) {
            if (s.frame() instanceof DataFrame d) {
                for (SentEntry e : d.entries()) {
                    out.add(new long[] {e.attempt(), e.entry().seq(), s.peer()});
                }
            }
        }
        return out;
    }

    List<AckFrame> acks() {
        List<AckFrame> out = new ArrayList<>();
        for (Sent s : sent) {
            if (s.frame() instanceof AckFrame a) {
                out.add(a);
            }
        }
        return out;
    }

    void clear() {
        sent.clear();
        delivered.clear();
        quacked.clear();
        fenced.clear();
        refused.clear();
    }
}
