package dev.picsou.mirror.bridge.wire;

import static dev.picsou.mirror.bridge.wire.TestFrames.encode;
import static dev.picsou.mirror.bridge.wire.TestFrames.hex;
import static dev.picsou.mirror.bridge.wire.TestFrames.reseal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.picsou.mirror.bridge.model.AckFrame;
import dev.picsou.mirror.bridge.model.DataFrame;
import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.FencedFrame;
import dev.picsou.mirror.bridge.model.ForkPoint;
import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.model.Mac;
import dev.picsou.mirror.bridge.model.PhiList;
import dev.picsou.mirror.bridge.model.SentEntry;
import dev.picsou.mirror.bridge.wire.TestFrames.Raw;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FrameCodecTest {
    private final FrameCodec codec = new FrameCodec();

    static Stream<Frame> samples() {
        return TestFrames.samples().stream();
    }

    static Stream<Frame> smallSamples() {
        return TestFrames.smallSamples().stream();
    }

    // ------------------------------------------------------------------------------------------- round trips

    @ParameterizedTest
    @MethodSource("samples")
    void decodesWhatItEncodes(Frame frame) throws Exception {
        ByteBuffer wire = codec.encode(frame);

        Frame decoded = codec.decode(wire);

        assertThat(decoded).isEqualTo(frame);
        assertThat(wire.hasRemaining()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void encodedSizeIsTheExactNumberOfBytesWritten(Frame frame) {
        assertThat(codec.encode(frame).remaining()).isEqualTo(FrameCodec.encodedSize(frame));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void peekFrameLengthReportsTheWholeFrame(Frame frame) {
        assertThat(FrameCodec.peekFrameLength(codec.encode(frame))).isEqualTo(FrameCodec.encodedSize(frame));
    }

    @Test
    void decodesBackToBackFramesAtAnOffsetInALittleEndianBuffer() throws Exception {
        List<Frame> frames = TestFrames.samples();
        int total = 3 + frames.stream().mapToInt(FrameCodec::encodedSize).sum();
        ByteBuffer buf = ByteBuffer.allocateDirect(total + 5).order(ByteOrder.LITTLE_ENDIAN);
        buf.position(3);
        for (Frame frame : frames) {
            codec.encode(frame, buf);
        }
        assertThat(buf.position()).isEqualTo(total);
        assertThat(buf.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        buf.flip().position(3);

        for (Frame frame : frames) {
            assertThat(FrameCodec.peekFrameLength(buf)).isEqualTo(FrameCodec.encodedSize(frame));
            assertThat(codec.decode(buf)).isEqualTo(frame);
        }
        assertThat(buf.hasRemaining()).isFalse();
    }

    @Test
    void keepsEntryOrderAttemptsAndChecksumsAsSent() throws Exception {
        DataFrame frame = TestFrames.multiEntryData(Mac.NONE);

        DataFrame decoded = (DataFrame) codec.decode(codec.encode(frame));

        assertThat(decoded.entries()).extracting(SentEntry::attempt).containsExactly(0, 2, 7);
        assertThat(decoded.entries()).extracting(e -> e.entry().seq()).containsExactly(17L, 18L, 16L);
        assertThat(decoded.entries().get(1).entry().payload()).isEmpty();
        assertThat(decoded.entries().get(2).entry().crc32c()).isEqualTo(0xdeadbeef);
        assertThat(decoded.entries().get(2).entry().checksumValid()).isFalse();
    }

    @Test
    void encodesTheJavadocExampleByteForByte() throws Exception {
        String expected = "00000031" + "50435355" + "01" + "02" + "00" + "00000007" + "0000000000000003"
                + "0002" + "0001" + "0000000000000029" + "0000000000000028" + "0000000a" + "0500" + "de829543";

        assertThat(hex(encode(TestFrames.javadocExample()))).isEqualTo(expected);
        assertThat(codec.decode(ByteBuffer.wrap(HexFormat.of().parseHex(expected))))
                .isEqualTo(TestFrames.javadocExample());
    }

    @ParameterizedTest
    @MethodSource("samples")
    void macInputIsTheSignedFrameFromMagicToTheEndOfTheBody(Frame frame) {
        byte[] signedWire = encode(frame.withMac(TestFrames.SOME_MAC));
        byte[] macInput = FrameCodec.macInput(frame);

        assertThat(macInput).isEqualTo(Arrays.copyOfRange(signedWire, 4, signedWire.length - 20));
        assertThat(FrameCodec.macInput(frame.withMac(Mac.NONE))).isEqualTo(macInput);
    }

    // ------------------------------------------------------------------------------------------- encode refusals

    @Test
    void encodeRefusesAFrameOverTheMaximumAndADestinationTooSmall() {
        Frame frame = TestFrames.longPhiAck(Mac.NONE);
        int size = FrameCodec.encodedSize(frame);
        FrameCodec small = new FrameCodec(size - 1);

        assertThatThrownBy(() -> small.encode(frame))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("frame of " + size + " bytes exceeds the maximum " + (size - 1));
        ByteBuffer dst = ByteBuffer.allocate(size - 1);
        assertThatThrownBy(() -> codec.encode(frame, dst))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("destination too small: frame needs " + size + " bytes, only " + (size - 1) + " remaining");
        assertThat(dst.position()).isZero();
        assertThat(new FrameCodec(size).encode(frame).remaining()).isEqualTo(size);
    }

    @Test
    void encodeRefusesFieldsTheLayoutCannotCarry() {
        assertThatThrownBy(() -> codec.encode(new FencedFrame(1, 1, 32768, 0, new ForkPoint(1, 1), Mac.NONE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("from must be in [0, 32767], was 32768");
        assertThatThrownBy(() -> codec.encode(new FencedFrame(1, 1, 0, -1, new ForkPoint(1, 1), Mac.NONE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("to must be in [0, 32767], was -1");
        AckFrame hugePhi = new AckFrame(1, 1, 0, 0, 0, 0, PhiList.of(new java.util.BitSet(), 65537), Mac.NONE);
        assertThatThrownBy(() -> codec.encode(hugePhi))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("phi length 65537 bits exceeds the maximum 65536");
        assertThatThrownBy(() -> new FrameCodec(10)).isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------------------------------- decode refusals

    @ParameterizedTest
    @MethodSource("samples")
    void refusesAFrameCutAtAnyPoint(Frame frame) {
        byte[] whole = encode(frame);
        for (int cut = 0; cut < whole.length; cut++) {
            ByteBuffer partial = ByteBuffer.wrap(whole, 0, cut);
            String expected = cut < 4
                    ? "frame truncated: need 4 bytes for the length prefix, only " + cut + " available"
                    : "frame truncated: header says " + (whole.length - 4) + " bytes, only " + (cut - 4) + " available";
            assertRefused(partial, expected);
            assertThat(partial.position()).as("position after a refusal").isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("smallSamples")
    void refusesEverySingleBitFlipAndEveryInvertedByte(Frame frame) {
        byte[] good = encode(frame);
        for (int i = 0; i < good.length; i++) {
            for (int mask : new int[] {1, 2, 4, 8, 16, 32, 64, 128, 0xff}) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) mask;
                try {
                    Frame decoded = codec.decode(ByteBuffer.wrap(bad));
                    fail("byte " + i + " xor " + mask + " decoded to " + decoded);
                } catch (FrameFormatException expected) {
                    assertThat(expected.getMessage()).isNotBlank();
                }
            }
        }
    }

    @Test
    void refusesABadCrcNamingBothValues() {
        byte[] bad = encode(TestFrames.emptyPhiAck(Mac.NONE));
        int stated = ByteBuffer.wrap(bad).getInt(bad.length - 4);
        bad[40] ^= 1;

        assertRefused(ByteBuffer.wrap(bad), String.format("CRC32C mismatch: frame says 0x%08x, computed 0x", stated));
    }

    @Test
    void refusesWrongMagic() {
        byte[] bad = Raw.header(0x12345678, 1, FrameCodec.TYPE_FENCED, 0, 0, 0).i64(1).i64(1).seal();

        assertRefused(ByteBuffer.wrap(bad), "bad magic: expected 0x50435355, was 0x12345678");
    }

    @Test
    void refusesAnotherVersion() {
        byte[] bad = Raw.header(FrameCodec.MAGIC, 3, FrameCodec.TYPE_FENCED, 0, 0, 0).i64(1).i64(1).seal();

        assertRefused(ByteBuffer.wrap(bad), "unsupported version 3 (this build speaks 1)");
    }

    @Test
    void refusesUnknownTypeAndUnknownFlags() {
        assertRefused(ByteBuffer.wrap(Raw.header(9).i64(1).i64(1).seal()),
                "unknown frame type 9 (expected 1 DATA, 2 ACK or 3 FENCED)");
        assertRefused(ByteBuffer.wrap(Raw.header(0).i64(1).i64(1).seal()), "unknown frame type 0");
        byte[] flags = Raw.header(FrameCodec.MAGIC, 1, FrameCodec.TYPE_FENCED, 0x82, 0, 0).i64(1).i64(1).seal();
        assertRefused(ByteBuffer.wrap(flags), "unknown flags 0x82: only bit 0 (MAC) is defined");
    }

    @Test
    void refusesAnOversizedLengthBeforeAllocatingAnything() {
        ByteBuffer onlyThePrefix = ByteBuffer.allocate(4).putInt(0, 99_999_999);
        assertRefused(onlyThePrefix,
                "frame length 99999999 (100000003 bytes with its prefix) exceeds the maximum 67108864");

        byte[] fine = encode(TestFrames.multiEntryData(Mac.NONE));
        FrameCodec small = new FrameCodec(fine.length - 1);
        assertRefused(small, ByteBuffer.wrap(fine), "frame length " + (fine.length - 4) + " (" + fine.length
                + " bytes with its prefix) exceeds the maximum " + (fine.length - 1));

        assertThat(allocatedByRefusals(codec, Integer.MAX_VALUE)).as("bytes allocated per oversized refusal")
                .isLessThan(64 << 10);
        FrameCodec unlimited = new FrameCodec(Integer.MAX_VALUE);
        assertThat(allocatedByRefusals(unlimited, 1 << 30)).as("bytes allocated per truncated refusal")
                .isLessThan(64 << 10);
    }

    /** Average bytes the current thread allocates to refuse a 4-byte buffer announcing {@code length} bytes. */
    private static long allocatedByRefusals(FrameCodec codec, int length) {
        ByteBuffer prefixOnly = ByteBuffer.allocate(4).putInt(0, length);
        assumeThat(allocatedBytes()).as("thread allocation accounting supported").isNotNegative();
        int rounds = 100;
        long before = 0;
        for (int i = 0; i < 2 * rounds; i++) {
            if (i == rounds) {
                before = allocatedBytes(); // after a warm-up round, so class loading does not count
            }
            try {
                codec.decode(prefixOnly);
                fail("decoded a frame from a length prefix alone");
            } catch (FrameFormatException expected) {
                // refused, as it must be
            }
        }
        return (allocatedBytes() - before) / rounds;
    }

    @Test
    void refusesALengthBelowTheMinimum() {
        assertRefused(ByteBuffer.allocate(64).putInt(0, 26), "frame length 26 is below the minimum 27");
        assertRefused(ByteBuffer.allocate(64).putInt(0, -1), "frame length -1 is below the minimum 27");
        assertRefused(ByteBuffer.allocate(64).putInt(0, Integer.MIN_VALUE), "is below the minimum 27");
    }

    @Test
    void refusesNegativeReplicaIndices() {
        byte[] bad = Raw.header(FrameCodec.MAGIC, 1, FrameCodec.TYPE_FENCED, 0, 0x8000, 1).i64(1).i64(1).seal();

        assertRefused(ByteBuffer.wrap(bad), "replica index out of range: expected 0..32767, was from=-32768 to=1");
    }

    @Test
    void refusesAMacFlagOnAFrameTooShortToHoldOne() {
        byte[] bad = Raw.header(FrameCodec.MAGIC, 1, FrameCodec.TYPE_FENCED, 1, 0, 0).i64(1).seal();

        assertRefused(ByteBuffer.wrap(bad),
                "frame length 35 too short for a MAC: a frame with a MAC needs at least 43");
    }

    @Test
    void refusesBadDataCounts() {
        assertRefused(Raw.header(FrameCodec.TYPE_DATA).i64(0).i32(-1).seal(),
                "negative entry count: expected >= 0, was -1");
        assertRefused(Raw.header(FrameCodec.TYPE_DATA).i64(0).i32(Integer.MAX_VALUE).seal(),
                "entry count 2147483647 runs past the frame end: needs at least 94489280468 bytes, only 0 left");
        assertRefused(Raw.header(FrameCodec.TYPE_DATA).i64(0).i32(2).entry(1, 0, new byte[0]).seal(),
                "entry count 2 runs past the frame end: needs at least 88 bytes, only 44 left in the body");
        assertRefused(Raw.header(FrameCodec.TYPE_DATA).i64(0).i32(1).entry(1, -5, new byte[0]).seal(),
                "entry 0 (seq 1): negative payload length: expected >= 0, was -5");
        assertRefused(Raw.header(FrameCodec.TYPE_DATA).i64(0).i32(1).entry(4, 10, new byte[3]).seal(),
                "entry 0 (seq 4): payload length 10 runs past the frame end: only 3 bytes left in the body");
        assertRefused(Raw.header(FrameCodec.TYPE_DATA).i64(0).i32(1).entry(0, 0, new byte[0]).seal(),
                "entry 0 (seq 0): seq must be >= 1, was 0");
        assertRefused(Raw.header(FrameCodec.TYPE_DATA).i64(-3).i32(0).seal(),
                "negative quackedSeq: expected >= 0, was -3");
        assertRefused(Raw.header(FrameCodec.TYPE_DATA).i64(0).i32(1)
                        .i64(-1).i64(1).i64(0).i64(0).i32(0).i32(0).i32(0).seal(),
                "entry 0 (seq 1): negative epoch: expected >= 0, was -1");
        assertRefused(Raw.header(FrameCodec.TYPE_DATA).i64(0).i32(1)
                        .i64(1).i64(1).i64(0).i64(0).i32(-2).i32(0).i32(0).seal(),
                "entry 0 (seq 1): negative attempt: expected >= 0, was -2");
        assertRefused(Raw.header(FrameCodec.TYPE_DATA).i64(0).seal(),
                "DATA body truncated: entry count needs 4 bytes, only 0 left in the body");
    }

    @Test
    void refusesBadAckFields() {
        assertRefused(Raw.header(FrameCodec.TYPE_ACK).i64(5).i64(5).i32(-8).seal(),
                "negative phi length: expected >= 0, was -8");
        assertRefused(Raw.header(FrameCodec.TYPE_ACK).i64(5).i64(5).i32(65537).bytes(new byte[8193]).seal(),
                "phi length 65537 bits exceeds the maximum 65536");
        assertRefused(Raw.header(FrameCodec.TYPE_ACK).i64(5).i64(5).i32(17).bytes(new byte[2]).seal(),
                "phi length 17 bits runs past the frame end: needs 3 bytes, only 2 left in the body");
        assertRefused(Raw.header(FrameCodec.TYPE_ACK).i64(5).i64(5).i32(10).bytes(new byte[] {0, 0x04}).seal(),
                "phi padding bits set: bits at or after 10 must be 0, last byte was 0x04");
        assertRefused(Raw.header(FrameCodec.TYPE_ACK).i64(-1).i64(5).i32(0).seal(),
                "negative ack prefix: expected >= 0, was received=-1 durable=5");
        assertRefused(Raw.header(FrameCodec.TYPE_ACK).i64(5).seal(),
                "ACK body truncated: durable needs 8 bytes, only 0 left in the body");
    }

    @Test
    void refusesBadFencedFields() {
        assertRefused(Raw.header(FrameCodec.TYPE_FENCED).i64(2).i64(-1).seal(),
                "negative fork point: expected >= 0, was (2, -1)");
        assertRefused(Raw.header(FrameCodec.TYPE_FENCED).i64(2).i32(0).seal(),
                "FENCED body truncated: fork seq needs 8 bytes, only 4 left in the body");
    }

    @Test
    void refusesTrailingBytesInsideTheFrame() {
        assertRefused(Raw.header(FrameCodec.TYPE_FENCED).i64(2).i64(3).i32(0).seal(),
                "trailing bytes: 4 bytes after the end of the FENCED body, expected 0");
        assertRefused(Raw.header(FrameCodec.TYPE_ACK).i64(5).i64(5).i32(8).bytes(new byte[2]).seal(),
                "trailing bytes: 1 bytes after the end of the ACK body, expected 0");
        byte[] data = encode(TestFrames.multiEntryData(Mac.NONE));
        byte[] longer = reseal(Arrays.copyOf(data, data.length + 1));
        assertRefused(ByteBuffer.wrap(longer), "trailing bytes: 1 bytes after the end of the DATA body, expected 0");
    }

    @Test
    void leavesBytesAfterTheFrameAlone() throws Exception {
        byte[] frame = encode(TestFrames.fenced(Mac.NONE));
        ByteBuffer buf = ByteBuffer.wrap(Arrays.copyOf(frame, frame.length + 3));

        assertThat(codec.decode(buf)).isEqualTo(TestFrames.fenced(Mac.NONE));
        assertThat(buf.remaining()).isEqualTo(3);
        assertRefused(buf, "frame truncated: need 4 bytes for the length prefix, only 3 available");
    }

    @Test
    void peekFrameLengthNeedsFourBytesAndSaturatesCorruptLengths() {
        assertThat(FrameCodec.peekFrameLength(ByteBuffer.allocate(3))).isEqualTo(-1);
        assertThat(FrameCodec.peekFrameLength(ByteBuffer.allocate(4).putInt(0, 100))).isEqualTo(104);
        assertThat(FrameCodec.peekFrameLength(ByteBuffer.allocate(4).putInt(0, -7))).isEqualTo(Integer.MAX_VALUE);
        assertThat(FrameCodec.peekFrameLength(ByteBuffer.allocate(4).putInt(0, Integer.MAX_VALUE - 3)))
                .isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void decodedPayloadsDoNotAliasTheInputBuffer() throws Exception {
        byte[] wire = encode(new DataFrame(1, 1, 0, 0, 0,
                List.of(new SentEntry(Entry.of(1, 1, 1, 1, new byte[] {1, 2, 3}), 0)), Mac.NONE));
        DataFrame decoded = (DataFrame) codec.decode(ByteBuffer.wrap(wire));

        Arrays.fill(wire, (byte) 0);

        assertThat(decoded.entries().get(0).entry().payload()).containsExactly(1, 2, 3);
    }

    // ------------------------------------------------------------------------------------------- helpers

    private void assertRefused(byte[] bytes, String messagePart) {
        assertRefused(codec, ByteBuffer.wrap(bytes), messagePart);
    }

    private void assertRefused(ByteBuffer buf, String messagePart) {
        assertRefused(codec, buf, messagePart);
    }

    private static void assertRefused(FrameCodec codec, ByteBuffer buf, String messagePart) {
        int position = buf.position();
        assertThatThrownBy(() -> codec.decode(buf))
                .isInstanceOf(FrameFormatException.class)
                .hasMessageContaining(messagePart);
        assertThat(buf.position()).isEqualTo(position);
    }

    private static long allocatedBytes() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (bean instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported()
                && sun.isThreadAllocatedMemoryEnabled()) {
            return sun.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return -1;
    }
}
