package dev.picsou.mirror.bridge.wire;

import dev.picsou.mirror.bridge.model.AckFrame;
import dev.picsou.mirror.bridge.model.DataFrame;
import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.FencedFrame;
import dev.picsou.mirror.bridge.model.ForkPoint;
import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.model.Mac;
import dev.picsou.mirror.bridge.model.PhiList;
import dev.picsou.mirror.bridge.model.SentEntry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;

/** Sample frames and a hand-rolled raw frame writer, independent of the codec's encoder. */
final class TestFrames {
    static final Mac SOME_MAC = Mac.of(0x0123456789abcdefL, 0xfedcba9876543210L);

    private TestFrames() {
    }

    static DataFrame emptyData(Mac mac) {
        return new DataFrame(11, 5, 0, 3, 0, List.of(), mac);
    }

    static DataFrame multiEntryData(Mac mac) {
        List<SentEntry> entries = List.of(
                new SentEntry(Entry.of(5, 17, 9, 120, "hello".getBytes(StandardCharsets.UTF_8)), 0),
                new SentEntry(Entry.of(5, 18, 9, 123, new byte[0]), 2),
                new SentEntry(new Entry(4, 16, 8, 99, new byte[] {(byte) 0xff, 0, 1}, 0xdeadbeef), 7));
        return new DataFrame(11, 5, 2, 1, 15, entries, mac);
    }

    static AckFrame emptyPhiAck(Mac mac) {
        return new AckFrame(11, 5, 1, 2, 100, 90, PhiList.EMPTY, mac);
    }

    static AckFrame longPhiAck(Mac mac) {
        BitSet bits = new BitSet();
        for (int i = 0; i < FrameCodec.MAX_PHI_BITS; i += 3) {
            bits.set(i);
        }
        bits.set(FrameCodec.MAX_PHI_BITS - 1);
        return new AckFrame(11, 5, 3, 0, 7, 7, PhiList.of(bits, FrameCodec.MAX_PHI_BITS), mac);
    }

    static AckFrame oddPhiAck(Mac mac) {
        BitSet bits = new BitSet();
        bits.set(1);
        bits.set(12);
        return new AckFrame(11, 5, 3, 0, 7, 3, PhiList.of(bits, 13), mac);
    }

    /** The frame of the codec's javadoc example. */
    static AckFrame javadocExample() {
        BitSet bits = new BitSet();
        bits.set(0);
        bits.set(2);
        return new AckFrame(7, 3, 2, 1, 41, 40, PhiList.of(bits, 10), Mac.NONE);
    }

    static FencedFrame fenced(Mac mac) {
        return new FencedFrame(11, 6, 32767, 4, new ForkPoint(6, 1234), mac);
    }

    /** One of each shape, each with and without a MAC. */
    static List<Frame> samples() {
        List<Frame> frames = new ArrayList<>();
        for (Mac mac : List.of(Mac.NONE, SOME_MAC)) {
            frames.add(emptyData(mac));
            frames.add(multiEntryData(mac));
            frames.add(emptyPhiAck(mac));
            frames.add(oddPhiAck(mac));
            frames.add(longPhiAck(mac));
            frames.add(fenced(mac));
        }
        return frames;
    }

    /** Samples small enough to run per-byte or per-bit checks over. */
    static List<Frame> smallSamples() {
        return samples().stream().filter(f -> FrameCodec.encodedSize(f) < 1024).toList();
    }

    static byte[] encode(Frame frame) {
        ByteBuffer buf = new FrameCodec().encode(frame);
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        return bytes;
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** Rewrites the length prefix and the trailing CRC32C of {@code frame} so only the other fields can be wrong. */
    static byte[] reseal(byte[] frame) {
        ByteBuffer buf = ByteBuffer.wrap(frame);
        buf.putInt(0, frame.length - 4);
        CRC32C crc = new CRC32C();
        crc.update(frame, 4, frame.length - 8);
        buf.putInt(frame.length - 4, (int) crc.getValue());
        return frame;
    }

    /** Writes frames field by field, so tests can build frames the encoder would never produce. */
    static final class Raw {
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 20);

        private Raw(int magic, int version, int type, int flags, int linkId, long epoch, int from, int to) {
            buf.putInt(0).putInt(magic).put((byte) version).put((byte) type).put((byte) flags)
                    .putInt(linkId).putLong(epoch).putShort((short) from).putShort((short) to);
        }

        static Raw header(int type) {
            return new Raw(FrameCodec.MAGIC, FrameCodec.VERSION, type, 0, 7, 3, 2, 1);
        }

        static Raw header(int magic, int version, int type, int flags, int from, int to) {
            return new Raw(magic, version, type, flags, 7, 3, from, to);
        }

        Raw i64(long v) {
            buf.putLong(v);
            return this;
        }

        Raw i32(int v) {
            buf.putInt(v);
            return this;
        }

        Raw bytes(byte[] b) {
            buf.put(b);
            return this;
        }

        Raw entry(long seq, int payloadLength, byte[] payload) {
            return i64(1).i64(seq).i64(2).i64(3).i32(0).i32(0).i32(payloadLength).bytes(payload);
        }

        /** Appends a CRC32C slot and fixes the length and CRC. */
        byte[] seal() {
            buf.putInt(0);
            byte[] out = new byte[buf.position()];
            buf.get(0, out);
            return reseal(out);
        }
    }
}
