package dev.picsou.mirror.bridge.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class LoopbackPortsTest {

    @Test
    void portsAreDistinctBindableAndBelowTheEphemeralRange() throws Exception {
        List<Integer> ports = LoopbackPorts.free(40);

        assertThat(ports).hasSize(40).doesNotHaveDuplicates();
        int ephemeralLow = LoopbackPorts.ephemeralLow();
        if (ephemeralLow - 10_000 >= 2_000) {
            assertThat(ports).allSatisfy(p -> assertThat(p).isBetween(10_000, ephemeralLow - 1));
        }
        for (int port : ports) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                assertThat(s.getLocalPort()).isEqualTo(port);
            }
        }
    }

    /** JDK 17's Files.readString read one byte of the procfs file ("3"), and every pick fell back to port 0. */
    @Test
    void aPortHandedOutIsNotHandedOutAgainWhileItsCallerHasNotBoundIt() {
        assumeTrue(LoopbackPorts.ephemeralLow() - 10_000 >= 10_000, "needs the usual range below the ephemeral one");
        // 1,000 ports drawn from about 22,000 would repeat some 20 of them without the reservation (birthday bound).
        Set<Integer> seen = new HashSet<>();
        for (int call = 0; call < 500; call++) {
            for (int port : LoopbackPorts.free(2)) {
                assertThat(seen.add(port)).as("port %d handed out twice (call %d)", port, call).isTrue();
            }
        }
    }

    /** The bench's process draws from the lower half and its mirror process from the upper: never the same port. */
    @Test
    void twoProcessesOnOppositeHalvesNeverDrawTheSamePort() {
        assumeTrue(LoopbackPorts.ephemeralLow() - 10_000 >= 10_000, "needs the usual range below the ephemeral one");
        int middle = 10_000 + (LoopbackPorts.ephemeralLow() - 10_000) / 2;
        try {
            System.setProperty(LoopbackPorts.HALF_PROPERTY, "lower");
            assertThat(LoopbackPorts.free(100)).allSatisfy(p -> assertThat(p).isBetween(10_000, middle - 1));
            System.setProperty(LoopbackPorts.HALF_PROPERTY, "upper");
            assertThat(LoopbackPorts.free(100)).allSatisfy(p -> assertThat(p)
                    .isBetween(middle, LoopbackPorts.ephemeralLow() - 1));
            System.setProperty(LoopbackPorts.HALF_PROPERTY, "middle");
            assertThatThrownBy(() -> LoopbackPorts.free(1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(LoopbackPorts.HALF_PROPERTY).hasMessageContaining("'middle'");
        } finally {
            System.clearProperty(LoopbackPorts.HALF_PROPERTY);
        }
    }

    @Test
    void theEphemeralRangeIsReadFromTheKernel() throws Exception {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        assumeTrue(Files.isReadable(range), "no " + range + " on this system");
        int expected = Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]);

        assertThat(LoopbackPorts.ephemeralLow()).isEqualTo(expected);
    }

    @Test
    void aPortInUseIsNeverHandedOut() throws Exception {
        int taken = LoopbackPorts.free();
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), taken));
            for (int i = 0; i < 20; i++) {
                assertThat(LoopbackPorts.free(50)).doesNotContain(taken);
            }
        }
    }

    /** Ratis' gRPC server binds the wildcard address: a port held on any address would make it exit its JVM. */
    @Test
    void aPortHeldOnTheWildcardAddressIsNotBindable() throws Exception {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(0));
            assertThat(LoopbackPorts.bindable(s.getLocalPort())).isFalse();
        }
    }

    /** A server without SO_REUSEADDR cannot bind a port whose earlier connections linger in TIME_WAIT. */
    @Test
    void aPortWhoseConnectionsLingerInTimeWaitIsNotBindable() throws Exception {
        int port;
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            port = server.getLocalPort();
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
                Socket accepted = server.accept();
                accepted.close(); // the side that closes first keeps the connection in TIME_WAIT, on the server port
                assertThat(client.getInputStream().read()).isEqualTo(-1);
            }
        }
        assertThat(LoopbackPorts.bindable(port)).isFalse();
    }

    @Test
    void aNegativeCountIsRefused() {
        assertThatThrownBy(() -> LoopbackPorts.free(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }
}
