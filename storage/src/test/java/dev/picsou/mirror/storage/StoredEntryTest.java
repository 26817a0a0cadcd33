package dev.picsou.mirror.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class StoredEntryTest {

    @Property(tries = 200)
    void encodingRoundTripsAnyEntry(@ForAll @LongRange(min = 0) long epoch, @ForAll @LongRange(min = 1) long seq,
                                    @ForAll long term, @ForAll long index,
                                    @ForAll @Size(max = 300) byte[] payload) {
        StoredEntry entry = StoredEntry.of(epoch, seq, term, index, payload);

        byte[] encoded = entry.encode();

        assertThat(encoded).hasSize(45 + payload.length);
        assertThat(StoredEntry.decode(encoded)).isEqualTo(entry);
    }

    @Test
    void layoutMatchesTheDocumentedExample() {
        StoredEntry entry = StoredEntry.of(1, 2, 3, 4, new byte[] {(byte) 0xAB});

        byte[] encoded = entry.encode();

        assertThat(encoded).hasSize(46);
        assertThat(encoded[0]).isEqualTo((byte) 1);
        assertThat(encoded[8]).isEqualTo((byte) 1);   // epoch, last byte
        assertThat(encoded[16]).isEqualTo((byte) 2);  // seq
        assertThat(encoded[24]).isEqualTo((byte) 3);  // term
        assertThat(encoded[32]).isEqualTo((byte) 4);  // index
        assertThat(encoded[40]).isEqualTo((byte) 1);  // payload length
        assertThat(encoded[41]).isEqualTo((byte) 0xAB);
    }

    @Test
    void detectsEverySingleByteCorruption() {
        byte[] encoded = StoredEntry.of(7, 42, 3, 99, "hello".getBytes(StandardCharsets.UTF_8)).encode();

        for (int i = 0; i < encoded.length; i++) {
            byte[] corrupt = encoded.clone();
            corrupt[i] ^= 0x10;
            assertThatThrownBy(() -> StoredEntry.decode(corrupt))
                    .as("flipped byte %d", i)
                    .isInstanceOf(StorageException.class);
        }
    }

    @Test
    void refusesTruncatedAndExtendedValues() {
        byte[] encoded = StoredEntry.of(1, 1, 1, 1, new byte[10]).encode();

        assertThatThrownBy(() -> StoredEntry.decode(java.util.Arrays.copyOf(encoded, encoded.length - 1)))
                .isInstanceOf(StorageException.class).hasMessageContaining("payload length");
        assertThatThrownBy(() -> StoredEntry.decode(java.util.Arrays.copyOf(encoded, encoded.length + 1)))
                .isInstanceOf(StorageException.class).hasMessageContaining("payload length");
        assertThatThrownBy(() -> StoredEntry.decode(new byte[3]))
                .isInstanceOf(StorageException.class).hasMessageContaining("shorter than the minimum");
    }

    @Test
    void refusesAnUnknownEncodingVersion() {
        byte[] encoded = StoredEntry.of(1, 1, 1, 1, new byte[0]).encode();
        encoded[0] = 9;

        assertThatThrownBy(() -> StoredEntry.decode(encoded))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("unknown StoredEntry encoding version 9");
    }

    @Test
    void detectsAPayloadThatDoesNotMatchItsCrc() {
        StoredEntry forged = new StoredEntry(1, 1, 1, 1, new byte[] {1, 2, 3}, 12345);

        assertThat(forged.checksumValid()).isFalse();
        assertThatThrownBy(() -> StoredEntry.decode(forged.encode()))
                .isInstanceOf(StorageException.class).hasMessageContaining("payload checksum mismatch");
    }

    @Test
    void rejectsInvalidFields() {
        assertThatThrownBy(() -> StoredEntry.of(0, 0, 0, 0, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seq");
        assertThatThrownBy(() -> StoredEntry.of(-1, 1, 0, 0, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epoch");
    }
}
