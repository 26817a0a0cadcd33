package dev.picsou.mirror.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HookMetadataTest {

    private static final HookMetadata SAMPLE = HookMetadata.initial()
            .withRole(HookMetadata.Role.PRIMARY)
            .withEpoch(1)
            .withLastApplied(3, 1017)
            .withLastSeq(900)
            .withQuackedSeq(850)
            .withFailover(2, 700)
            .withFailover(5, 880);

    @Test
    void initialIsEmptyAndUnassigned() {
        HookMetadata m = HookMetadata.initial();

        assertThat(m.role()).isEqualTo(HookMetadata.Role.UNASSIGNED);
        assertThat(m.epoch()).isZero();
        assertThat(m.lastAppliedIndex()).isEqualTo(-1);
        assertThat(m.stateSeq()).isZero();
        assertThat(m.forkPoints()).isEmpty();
        assertThat(m.lastForkPoint()).isEmpty();
    }

    @Test
    void encodingRoundTrips() {
        assertThat(HookMetadata.decode(SAMPLE.encode())).isEqualTo(SAMPLE);
        assertThat(HookMetadata.decode(HookMetadata.initial().encode())).isEqualTo(HookMetadata.initial());
        assertThat(SAMPLE.encode()).hasSize(66 + 2 * 16);
    }

    @Test
    void failoverRaisesTheEpochAndRecordsTheForkPoint() {
        assertThat(SAMPLE.epoch()).isEqualTo(5);
        assertThat(SAMPLE.forkPoints()).containsExactly(new ForkPointRecord(2, 700), new ForkPointRecord(5, 880));
        assertThat(SAMPLE.lastForkPoint()).contains(new ForkPointRecord(5, 880));
        assertThatThrownBy(() -> SAMPLE.withFailover(5, 900)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stateSeqFollowsTheRole() {
        HookMetadata mirror = HookMetadata.initial().withRole(HookMetadata.Role.MIRROR).withDurableSeq(40)
                .withLastSeq(7);

        assertThat(mirror.stateSeq()).isEqualTo(40);
        assertThat(SAMPLE.stateSeq()).isEqualTo(900);
    }

    @Test
    void rejectsForkPointsOutOfOrderOrAboveTheEpoch() {
        List<ForkPointRecord> unordered = List.of(new ForkPointRecord(3, 1), new ForkPointRecord(2, 1));
        assertThatThrownBy(() -> new HookMetadata(HookMetadata.Role.PRIMARY, 3, 0, -1, 0, 0, 0, -1, unordered))
                .isInstanceOf(IllegalArgumentException.class);
        List<ForkPointRecord> ahead = List.of(new ForkPointRecord(4, 1));
        assertThatThrownBy(() -> new HookMetadata(HookMetadata.Role.PRIMARY, 3, 0, -1, 0, 0, 0, -1, ahead))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void detectsEverySingleByteCorruption() {
        byte[] encoded = SAMPLE.encode();

        for (int i = 0; i < encoded.length; i++) {
            byte[] corrupt = encoded.clone();
            corrupt[i] ^= 0x01;
            assertThatThrownBy(() -> HookMetadata.decode(corrupt))
                    .as("flipped byte %d", i)
                    .isInstanceOf(StorageException.class);
        }
    }

    @Test
    void refusesAnUnknownEncodingVersion() {
        byte[] encoded = SAMPLE.encode();
        encoded[0] = 3;

        assertThatThrownBy(() -> HookMetadata.decode(encoded))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("unknown HookMetadata encoding version 3");
    }

    @Test
    void sealedSeqSurvivesTheRoundTrip() {
        HookMetadata sealed = SAMPLE.withSealedSeq(900);
        assertThat(HookMetadata.decode(sealed.encode())).isEqualTo(sealed);
        assertThat(sealed.isSealed()).isTrue();
        assertThat(SAMPLE.isSealed()).isFalse();
    }

    @Test
    void readsVersionOneEncodingsAsNotSealed() {
        HookMetadata m = HookMetadata.initial().withRole(HookMetadata.Role.MIRROR).withEpoch(2).withDurableSeq(77);
        java.nio.ByteBuffer v1 = java.nio.ByteBuffer.allocate(58);
        v1.put((byte) 1).put((byte) 2).putLong(2).putLong(0).putLong(-1).putLong(0).putLong(0).putLong(77).putInt(0);
        v1.putInt(StoredEntry.crc32c(v1.array(), 0, 54));
        assertThat(HookMetadata.decode(v1.array())).isEqualTo(m);
    }
}
