package dev.picsou.mirror.bridge.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FrameAuthenticatorTest {
    private static final byte[] SECRET = "0123456789abcdef-link-7".getBytes(StandardCharsets.US_ASCII);

    private final FrameAuthenticator auth = FrameAuthenticator.fromSecret(SECRET);

    static Stream<Frame> samples() {
        return TestFrames.samples().stream().map(f -> f.withMac(Mac.NONE)).distinct();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void verifiesWhatItSigns(Frame frame) {
        Frame signed = auth.sign(frame);

        assertThat(signed.mac().present()).isTrue();
        assertThat(signed.withMac(Mac.NONE)).isEqualTo(frame);
        assertThat(auth.verify(signed)).isTrue();
        assertThat(FrameAuthenticator.fromSecret(SECRET).verify(signed)).as("a fresh instance").isTrue();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void aSignedFrameStillVerifiesAfterCrossingTheWire(Frame frame) throws Exception {
        FrameCodec codec = new FrameCodec();

        Frame received = codec.decode(codec.encode(auth.sign(frame)));

        assertThat(auth.verify(received)).isTrue();
    }

    @Test
    void signKeepsTheStaticType() {
        AckFrame signed = auth.sign(TestFrames.emptyPhiAck(Mac.NONE));
        DataFrame data = auth.sign(TestFrames.emptyData(Mac.NONE));

        assertThat(signed.received()).isEqualTo(100);
        assertThat(data.entries()).isEmpty();
    }

    @Test
    void tagIsTheTruncatedHmacUnderThePairKeyOfSendingAndReceivingReplica() throws Exception {
        DataFrame data = new DataFrame(3, 2, 1, 4, 0, List.of(), Mac.NONE);
        AckFrame ack = new AckFrame(3, 2, 4, 1, 0, 0, PhiList.EMPTY, Mac.NONE);

        // Both travel between sending replica 1 and receiving replica 4: one pair key, "picsou-pair:1:4".
        assertThat(auth.sign(data).mac()).isEqualTo(expectedTag("picsou-pair:1:4", data));
        assertThat(auth.sign(ack).mac()).isEqualTo(expectedTag("picsou-pair:1:4", ack));
    }

    @Test
    void refusesATamperedField() {
        DataFrame data = auth.sign(TestFrames.multiEntryData(Mac.NONE));
        AckFrame ack = auth.sign(TestFrames.oddPhiAck(Mac.NONE));
        FencedFrame fenced = auth.sign(TestFrames.fenced(Mac.NONE));
        BitSet otherBits = new BitSet();
        otherBits.set(1);
        otherBits.set(11);

        List<Frame> tampered = new ArrayList<>(List.of(
                new DataFrame(data.linkId() + 1, data.epoch(), data.from(), data.to(), data.quackedSeq(),
                        data.entries(), data.mac()),
                new DataFrame(data.linkId(), data.epoch() + 1, data.from(), data.to(), data.quackedSeq(),
                        data.entries(), data.mac()),
                new DataFrame(data.linkId(), data.epoch(), data.from(), data.to(), data.quackedSeq() + 1,
                        data.entries(), data.mac()),
                new DataFrame(data.linkId(), data.epoch(), data.from(), data.to(), data.quackedSeq(),
                        data.entries().subList(0, 2), data.mac()),
                new DataFrame(data.linkId(), data.epoch(), data.from(), data.to(), data.quackedSeq(),
                        withFirstPayloadByteFlipped(data.entries()), data.mac()),
                new AckFrame(ack.linkId(), ack.epoch(), ack.from(), ack.to(), ack.received() + 1, ack.durable(),
                        ack.phi(), ack.mac()),
                new AckFrame(ack.linkId(), ack.epoch(), ack.from(), ack.to(), ack.received(), ack.durable() + 1,
                        ack.phi(), ack.mac()),
                new AckFrame(ack.linkId(), ack.epoch(), ack.from(), ack.to(), ack.received(), ack.durable(),
                        PhiList.of(otherBits, ack.phi().length()), ack.mac()),
                new FencedFrame(fenced.linkId(), fenced.epoch(), fenced.from(), fenced.to(),
                        new ForkPoint(fenced.forkPoint().epoch(), fenced.forkPoint().seq() + 1), fenced.mac()),
                ack.withMac(Mac.of(ack.mac().hi(), ack.mac().lo() ^ 1)),
                ack.withMac(Mac.of(ack.mac().hi() ^ Long.MIN_VALUE, ack.mac().lo()))));

        assertThat(tampered).allSatisfy(frame -> assertThat(auth.verify(frame)).as(frame.toString()).isFalse());
    }

    @Test
    void refusesAFrameReAddressedToAnotherReplica() {
        AckFrame ack = auth.sign(new AckFrame(1, 1, 2, 0, 10, 9, PhiList.EMPTY, Mac.NONE));
        DataFrame data = auth.sign(new DataFrame(1, 1, 0, 2, 0, List.of(), Mac.NONE));

        assertThat(auth.verify(new AckFrame(1, 1, 2, 1, 10, 9, PhiList.EMPTY, ack.mac()))).as("other to").isFalse();
        assertThat(auth.verify(new AckFrame(1, 1, 3, 0, 10, 9, PhiList.EMPTY, ack.mac()))).as("other from").isFalse();
        assertThat(auth.verify(new DataFrame(1, 1, 0, 3, 0, List.of(), data.mac()))).as("other to").isFalse();
        assertThat(auth.verify(new DataFrame(1, 1, 1, 2, 0, List.of(), data.mac()))).as("other from").isFalse();
        assertThat(auth.verify(new DataFrame(1, 1, 2, 0, 0, List.of(), data.mac()))).as("swapped").isFalse();
    }

    @Test
    void refusesFramesSignedWithAnotherSecret() {
        FrameAuthenticator other = FrameAuthenticator.fromSecret("0123456789abcdef-link-8".getBytes(
                StandardCharsets.US_ASCII));

        for (Frame frame : samples().toList()) {
            assertThat(other.verify(auth.sign(frame))).as(frame.toString()).isFalse();
            assertThat(auth.verify(other.sign(frame))).as(frame.toString()).isFalse();
        }
    }

    @Test
    void acksDataAndFencesOfTheSamePairDoNotCrossVerify() {
        // Sending replica 1, receiving replica 2, all on link 5 epoch 9: the same pair key signs all three.
        DataFrame data = auth.sign(new DataFrame(5, 9, 1, 2, 0, List.of(), Mac.NONE));
        AckFrame ack = auth.sign(new AckFrame(5, 9, 2, 1, 0, 0, PhiList.EMPTY, Mac.NONE));
        FencedFrame fenced = auth.sign(new FencedFrame(5, 9, 2, 1, new ForkPoint(0, 0), Mac.NONE));
        List<Frame> signed = List.of(data, ack, fenced);

        for (Frame carrier : signed) {
            for (Frame donor : signed) {
                boolean ownTag = carrier == donor;
                assertThat(auth.verify(carrier.withMac(donor.mac())))
                        .as(carrier.getClass().getSimpleName() + " with the tag of " + donor.getClass().getSimpleName())
                        .isEqualTo(ownTag);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void refusesAFrameWithoutMac(Frame frame) {
        assertThat(auth.verify(frame)).isFalse();
    }

    @Test
    void refusesAFrameTheLayoutCannotCarryInsteadOfThrowing() {
        FencedFrame outOfRange = new FencedFrame(1, 1, 40_000, 0, new ForkPoint(0, 0), TestFrames.SOME_MAC);

        assertThat(auth.verify(outOfRange)).isFalse();
        assertThatThrownBy(() -> auth.sign(outOfRange)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noneSignsNothingAndAcceptsEverything() {
        FrameAuthenticator none = FrameAuthenticator.none();
        AckFrame signed = auth.sign(TestFrames.emptyPhiAck(Mac.NONE));

        assertThat(none.enabled()).isFalse();
        assertThat(none.sign(signed).mac()).isEqualTo(Mac.NONE);
        AckFrame unsigned = TestFrames.emptyPhiAck(Mac.NONE);
        assertThat(none.sign(unsigned)).isSameAs(unsigned);
        assertThat(none.verify(unsigned)).isTrue();
        assertThat(none.verify(signed.withMac(TestFrames.SOME_MAC))).isTrue();
    }

    @Test
    void refusesShortSecretsAndCopiesTheSecret() {
        assertThatThrownBy(() -> FrameAuthenticator.fromSecret(new byte[15]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("link secret must be at least 16 bytes, was 15");

        byte[] secret = SECRET.clone();
        FrameAuthenticator copying = FrameAuthenticator.fromSecret(secret);
        Arrays.fill(secret, (byte) 0);
        assertThat(copying.verify(auth.sign(TestFrames.fenced(Mac.NONE)))).isTrue();
    }

    @Test
    void signsLargeFramesBeyondItsRetainedScratchSpace() {
        byte[] payload = new byte[200_000];
        payload[123_456] = 1;
        DataFrame big = new DataFrame(1, 1, 0, 1, 0,
                List.of(new SentEntry(Entry.of(1, 1, 1, 1, payload), 0)), Mac.NONE);

        DataFrame signed = auth.sign(big);

        assertThat(auth.verify(signed)).isTrue();
        assertThat(signed.mac()).isEqualTo(expectedTag("picsou-pair:0:1", big));
        assertThat(auth.verify(auth.sign(TestFrames.emptyData(Mac.NONE)))).as("small after big").isTrue();
    }

    // ------------------------------------------------------------------------------------------- helpers

    /** The tag computed from the definition, with nothing shared with the implementation but macInput. */
    private static Mac expectedTag(String pairLabel, Frame frame) {
        try {
            javax.crypto.Mac derive = javax.crypto.Mac.getInstance("HmacSHA256");
            derive.init(new SecretKeySpec(SECRET, "HmacSHA256"));
            byte[] pairKey = derive.doFinal(pairLabel.getBytes(StandardCharsets.US_ASCII));
            javax.crypto.Mac tag = javax.crypto.Mac.getInstance("HmacSHA256");
            tag.init(new SecretKeySpec(pairKey, "HmacSHA256"));
            ByteBuffer full = ByteBuffer.wrap(tag.doFinal(FrameCodec.macInput(frame)));
            return Mac.of(full.getLong(), full.getLong());
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static List<SentEntry> withFirstPayloadByteFlipped(List<SentEntry> entries) {
        List<SentEntry> copy = new ArrayList<>(entries);
        Entry first = copy.get(0).entry();
        byte[] payload = first.payload().clone();
        payload[0] ^= 1;
        copy.set(0, new SentEntry(new Entry(first.epoch(), first.seq(), first.raftTerm(), first.raftIndex(), payload,
                first.crc32c()), copy.get(0).attempt()));
        return copy;
    }
}
