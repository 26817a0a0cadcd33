package dev.picsou.mirror.bridge.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SimConfigTest {

    @Test
    void defaultsAreAFourByFourCftLinkOfTwentyThousandKibEntries() {
        SimConfig c = SimConfig.builder().build();
        assertThat(c.protocol()).isEqualTo("picsou");
        assertThat(c.senders()).isEqualTo(4);
        assertThat(c.receivers()).isEqualTo(4);
        assertThat(c.senderU()).isEqualTo(1);
        assertThat(c.receiverU()).isEqualTo(1);
        assertThat(c.senderR()).isZero();
        assertThat(c.entries()).isEqualTo(20_000);
        assertThat(c.entryBytes()).isEqualTo(1024);
        assertThat(c.uplinkMbps()).isEqualTo(1000);
        assertThat(c.oneWayDelayMs()).isEqualTo(20);
        assertThat(c.siteCommitDelayMs()).isEqualTo(2);
        assertThat(c.params().authenticated()).isFalse();
    }

    @Test
    void rejectsLossOutsideTheUnitIntervalNamingTheField() {
        assertThatThrownBy(() -> SimConfig.builder().loss(1.5).build())
                .isInstanceOfSatisfying(InvalidSimConfigException.class, e -> {
                    assertThat(e.field()).isEqualTo("loss");
                    assertThat(e.problem()).isEqualTo("must be in [0, 1), was 1.5");
                });
    }

    @Test
    void rejectsCrashesBeyondTheFaultBound() {
        assertThatThrownBy(() -> SimConfig.builder().crashSenders(2).build())
                .isInstanceOfSatisfying(InvalidSimConfigException.class,
                        e -> assertThat(e.field()).isEqualTo("crashSenders"));
        assertThatThrownBy(() -> SimConfig.builder().receivers(4).receiverFaults(1, 1).crashReceivers(1)
                .byzantineReceivers(1).build())
                .isInstanceOfSatisfying(InvalidSimConfigException.class,
                        e -> assertThat(e.field()).isEqualTo("crashReceivers"));
    }

    @Test
    void byzantineReceiversNeedAByzantineToleratingSite() {
        assertThatThrownBy(() -> SimConfig.builder().byzantineReceivers(1).build())
                .isInstanceOfSatisfying(InvalidSimConfigException.class,
                        e -> assertThat(e.field()).isEqualTo("byzantineReceivers"));
        SimConfig bft = SimConfig.builder().receiverFaults(1, 1).byzantineReceivers(1).build();
        assertThat(bft.params().authenticated()).isTrue();
        assertThat(bft.receiverByzantine(3)).isTrue();
        assertThat(bft.receiverByzantine(0)).isFalse();
    }

    @Test
    void rejectsRestartsThatTogetherExceedTheFaultBound() {
        assertThatThrownBy(() -> SimConfig.builder()
                .restart(Side.RECEIVER, 0, 10, 100)
                .restart(Side.RECEIVER, 1, 50, 150)
                .build())
                .isInstanceOfSatisfying(InvalidSimConfigException.class,
                        e -> assertThat(e.field()).isEqualTo("restarts"));
        SimConfig ok = SimConfig.builder().restart(Side.RECEIVER, 0, 10, 100).restart(Side.RECEIVER, 1, 100, 150)
                .build();
        assertThat(ok.restarts()).hasSize(2);
    }

    @Test
    void unknownProtocolListsTheValidNames() {
        SimConfig c = SimConfig.builder().protocol("carrier-pigeon").build();
        assertThatThrownBy(() -> Simulation.run(c))
                .isInstanceOfSatisfying(InvalidSimConfigException.class, e -> {
                    assertThat(e.field()).isEqualTo("protocol");
                    assertThat(e.problem()).contains("picsou, ata, ll, otu, ost");
                });
    }

    @Test
    void parsesCommandLineForms() {
        assertThat(Partition.parse("100:250")).isEqualTo(new Partition(100, 250));
        assertThat(CrashRestart.parse("receiver:2:10:50")).isEqualTo(new CrashRestart(Side.RECEIVER, 2, 10, 50));
        assertThat(ByzantineMode.parse("ack-stale")).isEqualTo(ByzantineMode.ACK_STALE);
        assertThatThrownBy(() -> ByzantineMode.parse("lie")).hasMessageContaining("drop-all");
    }

    @Test
    void overriddenParamsMustMatchTheSites() {
        SimConfig c = SimConfig.builder().build();
        assertThat(c.toBuilder().params(c.derivedParams().toBuilder().windowEntries(64).build()).build()
                .params().windowEntries()).isEqualTo(64);
        assertThatThrownBy(() -> c.toBuilder().senders(5).params(c.derivedParams()).build())
                .isInstanceOfSatisfying(InvalidSimConfigException.class, e -> assertThat(e.field()).isEqualTo("params"));
    }
}
