package dev.picsou.mirror.bridge.hook;

import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.storage.StoredEntry;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HookIngestBatchCodecTest {
    private static final List<Entry> ENTRIES = List.of(
            Entry.of(1, 7, 2, 40, "a=1".getBytes()),
            Entry.of(1, 5, 2, 38, new byte[0]),
            Entry.of(2, 9, 3, 44, new byte[300]));

    @Test
    void aBatchRoundTripsInItsOrder() {
        List<StoredEntry> decoded = IngestBatchCodec.decode(ByteBuffer.wrap(IngestBatchCodec.encode(ENTRIES)));
        assertThat(decoded).isEqualTo(ENTRIES.stream().map(Entries::toStored).toList());
        assertThat(IngestBatchCodec.decode(ByteBuffer.wrap(IngestBatchCodec.encode(List.of())))).isEmpty();
    }

    @Test
    void malformedBatchesAreRefusedWithTheReason() {
        byte[] good = IngestBatchCodec.encode(ENTRIES);
        byte[] badMagic = good.clone();
        badMagic[0] ^= 1;
        assertThatThrownBy(() -> decode(badMagic)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("magic");
        byte[] badVersion = good.clone();
        badVersion[4] = 9;
        assertThatThrownBy(() -> decode(badVersion)).hasMessageContaining("version 9");
        assertThatThrownBy(() -> decode(Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> decode(Arrays.copyOf(good, good.length + 2))).hasMessageContaining("trailing");
        byte[] flipped = good.clone();
        flipped[good.length - 10] ^= 0x40;
        assertThatThrownBy(() -> decode(flipped)).hasMessageContaining("corrupt record");
    }

    private static List<StoredEntry> decode(byte[] b) {
        return IngestBatchCodec.decode(ByteBuffer.wrap(b));
    }
}
