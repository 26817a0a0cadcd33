package dev.picsou.mirror.bridge.transport;

import dev.picsou.mirror.bridge.model.AckFrame;
import dev.picsou.mirror.bridge.model.DataFrame;
import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.FencedFrame;
import dev.picsou.mirror.bridge.model.ForkPoint;
import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.model.Mac;
import dev.picsou.mirror.bridge.model.PhiList;
import dev.picsou.mirror.bridge.model.SentEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/** Frames addressed from one replica to another, for transport tests. */
final class SampleFrames {
    static final int LINK = 7;
    static final long EPOCH = 3;

    private SampleFrames() {
    }

    /** A data frame with one entry of sequence {@code seq} and a payload of {@code payloadBytes} bytes. */
    static DataFrame data(PeerId from, PeerId to, long seq, int payloadBytes) {
        byte[] payload = new byte[payloadBytes];
        Arrays.fill(payload, (byte) seq);
        return data(from, to, seq, payload);
    }

    /** A data frame with one entry sharing {@code payload} (not copied: frames are immutable by contract). */
    static DataFrame data(PeerId from, PeerId to, long seq, byte[] payload) {
        Entry entry = new Entry(EPOCH, seq, 2, 100 + seq, payload, Entry.checksum(payload));
        return new DataFrame(LINK, EPOCH, from.replica(), to.replica(), Math.max(0, seq - 1),
                List.of(new SentEntry(entry, 0)), Mac.NONE);
    }

    /** One frame of every type and shape: data with several entries, acks with and without φ-list, fenced. */
    static List<Frame> everyType(PeerId from, PeerId to) {
        int f = from.replica();
        int t = to.replica();
        List<SentEntry> entries = List.of(
                new SentEntry(Entry.of(EPOCH, 17, 9, 120, "hello".getBytes(StandardCharsets.UTF_8)), 0),
                new SentEntry(Entry.of(EPOCH, 18, 9, 123, new byte[0]), 2),
                new SentEntry(new Entry(EPOCH - 1, 16, 8, 99, new byte[] {(byte) 0xff, 0, 1}, 0xdeadbeef), 7));
        BitSet bits = new BitSet();
        bits.set(1);
        bits.set(12);
        List<Frame> frames = new ArrayList<>();
        frames.add(new DataFrame(LINK, EPOCH, f, t, 0, List.of(), Mac.NONE));
        frames.add(new DataFrame(LINK, EPOCH, f, t, 15, entries, Mac.NONE));
        frames.add(new DataFrame(LINK, EPOCH, f, t, 15, entries, Mac.of(0x0123456789abcdefL, 0xfedcba9876543210L)));
        frames.add(new AckFrame(LINK, EPOCH, f, t, 100, 90, PhiList.EMPTY, Mac.NONE));
        frames.add(new AckFrame(LINK, EPOCH, f, t, 7, 3, PhiList.of(bits, 13), Mac.NONE));
        frames.add(new AckFrame(LINK, EPOCH, f, t, 7, 3, PhiList.of(bits, 4096), Mac.of(1, 2)));
        frames.add(new FencedFrame(LINK, EPOCH + 1, f, t, new ForkPoint(EPOCH + 1, 1234), Mac.NONE));
        frames.add(new FencedFrame(LINK, EPOCH + 1, f, t, new ForkPoint(EPOCH + 1, 0), Mac.of(-1, -2)));
        return frames;
    }
}
