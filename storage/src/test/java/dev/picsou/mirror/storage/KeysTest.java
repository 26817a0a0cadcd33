package dev.picsou.mirror.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class KeysTest {

    @Test
    void seqKeysAreBigEndianAndSortInSeqOrder() {
        assertThat(Keys.seq(258)).containsExactly(0, 0, 0, 0, 0, 0, 1, 2);
        long[] seqs = {0, 1, 255, 256, 65_535, 65_536, 1L << 40, Long.MAX_VALUE};
        for (int i = 1; i < seqs.length; i++) {
            assertThat(Arrays.compareUnsigned(Keys.seq(seqs[i - 1]), Keys.seq(seqs[i]))).isNegative();
            assertThat(Keys.seqOf(Keys.seq(seqs[i]))).isEqualTo(seqs[i]);
        }
    }

    @Test
    void rejectsNegativeSeqsAndWrongWidths() {
        assertThatThrownBy(() -> Keys.seq(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Keys.seqOf(new byte[7])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void describesKeysForErrorMessages() {
        assertThat(Keys.describe(ColumnFamily.OUTBOX, Keys.seq(9))).isEqualTo("seq 9");
        assertThat(Keys.describe(ColumnFamily.META, Keys.HOOK_METADATA)).isEqualTo("'hook-metadata'");
        assertThat(Keys.describe(ColumnFamily.KV, new byte[] {(byte) 0xCA, (byte) 0xFE})).isEqualTo("0xcafe");
    }
}
