package dev.picsou.mirror.bridge.baseline;

import dev.picsou.mirror.bridge.model.AckFrame;
import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.FencedFrame;
import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.picsou.ActionSink;
import java.util.ArrayList;
import java.util.List;

/** Records every action an engine takes. */
final class RecordingSink implements ActionSink {
    final List<Frame> sent = new ArrayList<>();
    final List<Integer> sentTo = new ArrayList<>();
    final List<Entry> delivered = new ArrayList<>();
    final List<Long> quacked = new ArrayList<>();
    final List<FencedFrame> fenced = new ArrayList<>();
    final List<String> refused = new ArrayList<>();

    @Override
    public boolean send(int peer, Frame frame) {
        sentTo.add(peer);
        sent.add(frame);
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
        refused.add(peer + ": " + reason);
    }

    List<AckFrame> acks() {
        return sent.stream().filter(f -> f instanceof AckFrame).map(f -> (AckFrame) f).toList();
    }

    List<Long> deliveredSeqs() {
        return delivered.stream().map(Entry::seq).toList();
    }

    void clear() {
        sent.clear();
        sentTo.clear();
        delivered.clear();
        quacked.clear();
        fenced.clear();
        refused.clear();
    }
}
