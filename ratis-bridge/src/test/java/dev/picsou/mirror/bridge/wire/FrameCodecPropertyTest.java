package dev.picsou.mirror.bridge.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.picsou.mirror.bridge.model.AckFrame;
import dev.picsou.mirror.bridge.model.DataFrame;
import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.FencedFrame;
import dev.picsou.mirror.bridge.model.ForkPoint;
import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.model.Mac;
import dev.picsou.mirror.bridge.model.PhiList;
import dev.picsou.mirror.bridge.model.SentEntry;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Properties of the codec over generated frames and generated (mostly malformed) bytes. */
class FrameCodecPropertyTest {
    private final FrameCodec codec = new FrameCodec();

    @Property
    void everyFrameRoundTripsAndEncodedSizeIsExact(@ForAll("frames") Frame frame) throws Exception {
        ByteBuffer wire = codec.encode(frame);
        assertThat(wire.remaining()).isEqualTo(FrameCodec.encodedSize(frame));

        assertThat(codec.decode(wire)).isEqualTo(frame);
        assertThat(wire.hasRemaining()).isFalse();
    }

    @Property
    void randomBytesNeverThrowAnythingButFrameFormatException(@ForAll @Size(max = 300) byte[] bytes) {
        assertDecodesCanonicallyOrRefused(bytes);
    }

    @Property
    void randomBodiesBehindAValidHeaderAndCrcAreDecodedCanonicallyOrRefused(
            @ForAll @IntRange(min = 0, max = 4) int type, @ForAll @IntRange(min = 0, max = 2) int flags,
            @ForAll @IntRange(min = -2, max = 5) int from, @ForAll("bodies") byte[] body) {
        byte[] frame = TestFrames.Raw.header(FrameCodec.MAGIC, FrameCodec.VERSION, type, flags, from, 1)
                .bytes(body).seal();

        assertDecodesCanonicallyOrRefused(frame);
    }

    @Property
    void mutatedFramesAreDecodedCanonicallyOrRefused(@ForAll("frames") Frame frame,
            @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 100_000) Integer> positions,
            @ForAll byte xor, @ForAll boolean fixCrc) {
        byte[] bytes = TestFrames.encode(frame);
        for (int position : positions) {
            bytes[position % bytes.length] ^= xor;
        }
        if (fixCrc && bytes.length >= 8) {
            TestFrames.reseal(bytes);
        }

        assertDecodesCanonicallyOrRefused(bytes);
    }

    /** Decoding succeeds only for the exact encoding of the result, and otherwise fails only with the checked type. */
    private void assertDecodesCanonicallyOrRefused(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        try {
            Frame decoded = codec.decode(buf);
            assertThat(TestFrames.encode(decoded)).isEqualTo(Arrays.copyOf(bytes, buf.position()));
        } catch (FrameFormatException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            assertThat(buf.position()).isZero();
        }
    }

    // ------------------------------------------------------------------------------------------- generators

    @Provide
    Arbitrary<Frame> frames() {
        return Arbitraries.oneOf(List.of(dataFrames(), ackFrames(), fencedFrames()));
    }

    private static Arbitrary<Mac> macs() {
        Arbitrary<Mac> present = Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(Mac::of);
        return Arbitraries.oneOf(List.of(Arbitraries.just(Mac.NONE), present));
    }

    private static Arbitrary<Integer> replicas() {
        return Arbitraries.integers().between(0, FrameCodec.MAX_REPLICA_INDEX);
    }

    private static Arbitrary<Long> naturals() {
        return Arbitraries.longs().greaterOrEqual(0);
    }

    private static Arbitrary<SentEntry> sentEntries() {
        Arbitrary<byte[]> payloads = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        Arbitrary<Entry> entries = Combinators.combine(naturals(), Arbitraries.longs().greaterOrEqual(1),
                        Arbitraries.longs(), Arbitraries.longs(), payloads, Arbitraries.integers())
                .as(Entry::new);
        return Combinators.combine(entries, Arbitraries.integers().greaterOrEqual(0)).as(SentEntry::new);
    }

    private static Arbitrary<Frame> dataFrames() {
        return Combinators.combine(Arbitraries.integers(), Arbitraries.longs(), replicas(), replicas(), naturals(),
                        sentEntries().list().ofMaxSize(6), macs())
                .as(DataFrame::new);
    }

    private static Arbitrary<Frame> ackFrames() {
        Arbitrary<PhiList> phis = Combinators.combine(Arbitraries.bytes().array(byte[].class).ofMaxSize(40),
                        Arbitraries.integers().between(0, 400))
                .as((bits, length) -> PhiList.fromBytes(bits, length));
        return Combinators.combine(Arbitraries.integers(), Arbitraries.longs(), replicas(), replicas(), naturals(),
                        naturals(), phis, macs())
                .as(AckFrame::new);
    }

    private static Arbitrary<Frame> fencedFrames() {
        Arbitrary<ForkPoint> forks = Combinators.combine(naturals(), naturals()).as(ForkPoint::new);
        return Combinators.combine(Arbitraries.integers(), Arbitraries.longs(), replicas(), replicas(), forks, macs())
                .as(FencedFrame::new);
    }

    /** Bodies made of small counts and lengths, so decoding gets past the first field often. */
    @Provide
    Arbitrary<byte[]> bodies() {
        Arbitrary<byte[]> ints = Arbitraries.integers().between(-2, 60)
                .map(v -> ByteBuffer.allocate(4).putInt(v).array());
        Arbitrary<byte[]> longs = Arbitraries.longs().between(-2, 60)
                .map(v -> ByteBuffer.allocate(8).putLong(v).array());
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(5);
        return Arbitraries.oneOf(List.of(ints, longs, raw)).list().ofMaxSize(16).map(chunks -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            chunks.forEach(out::writeBytes);
            return out.toByteArray();
        });
    }
}
