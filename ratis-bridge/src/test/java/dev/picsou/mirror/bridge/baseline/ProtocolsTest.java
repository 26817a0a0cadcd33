package dev.picsou.mirror.bridge.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.picsou.mirror.bridge.picsou.Picsou;
import dev.picsou.mirror.bridge.picsou.StreamProtocol;
import org.junit.jupiter.api.Test;

class ProtocolsTest {

    @Test
    void listsPicsouFirstThenTheBaselines() {
        assertThat(Protocols.names()).containsExactly("picsou", "ata", "ll", "otu", "ost");
    }

    @Test
    void findsEveryProtocolByItsOwnNameIgnoringCase() {
        for (String name : Protocols.names()) {
            StreamProtocol p = Protocols.byName(name.toUpperCase(java.util.Locale.ROOT));
            assertThat(p.name()).isEqualTo(name);
        }
        assertThat(Protocols.byName("Picsou")).isSameAs(Picsou.INSTANCE);
        assertThat(Protocols.byName("ATA")).isSameAs(AllToAll.INSTANCE);
    }

    @Test
    void rejectsAnUnknownNameListingTheValidOnes() {
        assertThatThrownBy(() -> Protocols.byName("kafka"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'kafka'")
                .hasMessageContaining("picsou, ata, ll, otu, ost");
    }

    @Test
    void onlyOneShotAndLeaderToLeaderDisclaimC3B() {
        assertThat(AllToAll.INSTANCE.claimsC3B()).isTrue();
        assertThat(Otu.INSTANCE.claimsC3B()).isTrue();
        assertThat(LeaderToLeader.INSTANCE.claimsC3B()).isFalse();
        assertThat(OneShot.INSTANCE.claimsC3B()).isFalse();
    }
}
