package dev.picsou.mirror.bridge.hook;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ControlCommandTest {
    private static final byte[] SEAL_EPOCH_3 = HexFormat.of().parseHex("50434354" + "01" + "01" + "0000000000000003");

    @Test
    void aSealEncodesToTheDocumentedLayoutAndRoundTrips() {
        ControlCommand seal = ControlCommand.seal(3);
        assertThat(seal.encode()).isEqualTo(SEAL_EPOCH_3);
        ByteString onTheWire = seal.toMessage().getContent();
        assertThat(ControlCommand.isControl(onTheWire)).isTrue();
        assertThat(ControlCommand.decode(onTheWire)).isEqualTo(seal);
        ControlCommand large = ControlCommand.seal(Long.MAX_VALUE - 1);
        assertThat(ControlCommand.decode(large.toMessage().getContent())).isEqualTo(large);
    }

    @Test
    void userPayloadsAreNotControlEntries() {
        byte[] kvPut = SEAL_EPOCH_3.clone();
        kvPut[0] = 0x01;
        assertThat(ControlCommand.isControl(ByteString.copyFrom(kvPut))).as("KV-like payload, first byte 0x01")
                .isFalse();
        assertThat(ControlCommand.isControl(ByteString.copyFromUtf8("key1=value1xyz"))).as("14-byte text")
                .isFalse();
        assertThat(ControlCommand.isControl(ByteString.EMPTY)).isFalse();
    }

    @Test
    void aControlHeaderOfTheWrongLengthMagicOrVersionIsNotAControlEntry() {
        assertThat(ControlCommand.isControl(ByteString.copyFrom(Arrays.copyOf(SEAL_EPOCH_3, 13)))).as("13 bytes")
                .isFalse();
        assertThat(ControlCommand.isControl(ByteString.copyFrom(Arrays.copyOf(SEAL_EPOCH_3, 15)))).as("15 bytes")
                .isFalse();
        for (int i = 0; i < 4; i++) {
            byte[] badMagic = SEAL_EPOCH_3.clone();
            badMagic[i] ^= (byte) 0x80;
            assertThat(ControlCommand.isControl(ByteString.copyFrom(badMagic))).as("magic byte %d flipped", i)
                    .isFalse();
        }
        byte[] version2 = SEAL_EPOCH_3.clone();
        version2[4] = 2;
        assertThat(ControlCommand.isControl(ByteString.copyFrom(version2))).as("version 2").isFalse();
        assertThatThrownBy(() -> ControlCommand.decode(ByteString.copyFrom(version2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a control entry");
    }

    @Test
    void decodingAnUnknownOpNamesIt() {
        byte[] op9 = SEAL_EPOCH_3.clone();
        op9[5] = 9;
        ByteString data = ByteString.copyFrom(op9);
        assertThat(ControlCommand.isControl(data)).as("magic and version match").isTrue();
        assertThatThrownBy(() -> ControlCommand.decode(data)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown control op 9");
    }

    @Test
    void theSealedSeqRoundTripsThroughTheReply() {
        assertThat(ControlCommand.sealedSeqOf(ControlCommand.sealedReply(0))).isZero();
        assertThat(ControlCommand.sealedSeqOf(ControlCommand.sealedReply(123_456_789_012L)))
                .isEqualTo(123_456_789_012L);
        assertThat(ControlCommand.sealedReply(42).getContent().toByteArray())
                .isEqualTo(ByteBuffer.allocate(8).putLong(42).array());
    }

    @Test
    void aReplyThatIsNotEightBytesIsRefused() {
        for (int size : new int[] {0, 7, 9, 14}) {
            Message reply = Message.valueOf(ByteString.copyFrom(new byte[size]));
            assertThatThrownBy(() -> ControlCommand.sealedSeqOf(reply)).as("%d bytes", size)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("8 bytes, was " + size);
        }
    }
}
