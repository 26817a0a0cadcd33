package dev.picsou.mirror.server.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamDigestTest {
    private static StreamDigest of(long... seqCrc) {
        StreamDigest d = new StreamDigest();
        for (int i = 0; i < seqCrc.length; i += 2) {
            d.add(seqCrc[i], 100, (int) seqCrc[i + 1]);
        }
        return d;
    }

    @Test
    void sameEntriesInTheSameOrderGiveTheSameDigest() {
        assertThat(of(1, 11, 2, 22, 3, 33).snapshot().sameAs(of(1, 11, 2, 22, 3, 33).snapshot())).isTrue();
    }

    @Test
    void aChangedChecksumChangesTheDigest() {
        assertThat(of(1, 11, 2, 22, 3, 33).snapshot().sameAs(of(1, 11, 2, 23, 3, 33).snapshot())).isFalse();
    }

    @Test
    void aMissingEntryBreaksTheStream() {
        StreamDigest.Snapshot gap = of(1, 11, 3, 33).snapshot();
        assertThat(gap.broken()).contains("seq 3 after 1");
        assertThat(gap.sameAs(of(1, 11, 2, 22, 3, 33).snapshot())).isFalse();
    }

    @Test
    void aShorterPrefixIsNotTheSameStream() {
        assertThat(of(1, 11, 2, 22).snapshot().sameAs(of(1, 11, 2, 22, 3, 33).snapshot())).isFalse();
    }

    @Test
    void aDuplicateBreaksTheStream() {
        assertThat(of(1, 11, 2, 22, 2, 22).snapshot().broken()).isNotNull();
    }
}
