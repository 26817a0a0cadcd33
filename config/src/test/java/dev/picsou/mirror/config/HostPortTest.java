package dev.picsou.mirror.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostPortTest {

    @Test
    void parsesNamesAddressesAndBracketedIpv6AndPrintsThemBack() {
        assertThat(HostPort.parse("127.0.0.1:17001")).isEqualTo(new HostPort("127.0.0.1", 17001));
        assertThat(HostPort.parse("db-east.example:1")).isEqualTo(new HostPort("db-east.example", 1));
        assertThat(HostPort.parse("[::1]:65535")).isEqualTo(new HostPort("::1", 65535));
        assertThat(new HostPort("::1", 65535)).hasToString("[::1]:65535");
        assertThat(new HostPort("127.0.0.1", 17001)).hasToString("127.0.0.1:17001");
    }

    @Test
    void socketAddressHasTheHostAndPort() {
        assertThat(new HostPort("127.0.0.1", 17001).toSocketAddress().getPort()).isEqualTo(17001);
        assertThat(new HostPort("127.0.0.1", 17001).toSocketAddress().getHostString()).isEqualTo("127.0.0.1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1|\"127.0.0.1\" has no port; expected host:port, e.g. 127.0.0.1:17001",
        "127.0.0.1:http|\"127.0.0.1:http\" has no numeric port; expected host:port, e.g. 127.0.0.1:17001",
        "127.0.0.1:0|\"127.0.0.1:0\": port 0 is out of range; expected 1..65535",
        "127.0.0.1:65536|\"127.0.0.1:65536\": port 65536 is out of range; expected 1..65535",
        ":17001|\":17001\": host \"\" is empty or holds spaces; expected host:port, e.g. 127.0.0.1:17001",
        "::1:17001|\"::1:17001\" is not host:port; expected an IPv6 address in brackets, e.g. [::1]:17001"})
    void rejectsWhatIsNotHostColonPortSayingWhy(String text, String message) {
        assertThatThrownBy(() -> HostPort.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
