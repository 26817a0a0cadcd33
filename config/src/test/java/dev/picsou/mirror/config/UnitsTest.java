package dev.picsou.mirror.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {

    @ParameterizedTest
    @CsvSource({"250ms, 250000000", "2s, 2000000000", "1m, 60000000000", "1h, 3600000000000", "7ns, 7",
            "15us, 15000", "1.5s, 1500000000", "0.25ms, 250000", "5 s, 5000000000", "0s, 0"})
    void durationsReadEveryUnit(String text, long nanos) {
        assertThat(Units.parseDuration(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5 parsecs", "5", "ms", "-5s", "5S", "5 ms s", "", "1e3ms", "PT5S"})
    void durationWithoutAKnownUnitIsRejectedWithAnExample(String text) {
        assertThatThrownBy(() -> Units.parseDuration(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"" + text + "\" is not a duration; expected e.g. 250ms, 2s, 1m (units ns, us, ms, s, m, h)");
    }

    @ParameterizedTest
    @CsvSource({"1.5ns, is not a whole number of nanoseconds", "9999999999h, is too large"})
    void durationThatIsNotWholeNanosecondsOrTooLargeIsRejected(String text, String why) {
        assertThatThrownBy(() -> Units.parseDuration(text)).hasMessageStartingWith("\"" + text + "\" " + why + ";");
    }

    @ParameterizedTest
    @CsvSource({"4096, 4096", "10B, 10", "1KB, 1000", "1KiB, 1024", "64MiB, 67108864", "2MB, 2000000",
            "1GiB, 1073741824", "3GB, 3000000000", "1TiB, 1099511627776", "1TB, 1000000000000", "1.5KiB, 1536",
            "256 KiB, 262144"})
    void sizesReadPlainBytesDecimalAndBinaryUnits(String text, long bytes) {
        assertThat(Units.parseBytes(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8 megs", "64mib", "1kb", "-1", "MiB", "1.5", "64 M"})
    void sizeWithoutAKnownUnitIsRejectedListingTheUnits(String text) {
        assertThatThrownBy(() -> Units.parseBytes(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"" + text + "\" is not a byte size; expected e.g. 4096, 256KiB, 64MiB, 1GB "
                        + "(units B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)");
    }

    @ParameterizedTest
    @CsvSource({"1.5B, is not a whole number of bytes", "99999999999TiB, is too large",
            "99999999999999999999, is too large"})
    void sizeThatIsNotWholeBytesOrTooLargeIsRejected(String text, String why) {
        assertThatThrownBy(() -> Units.parseBytes(text)).hasMessageStartingWith("\"" + text + "\" " + why + ";");
    }

    @ParameterizedTest
    @CsvSource({"90s, 90000000000", "2m, 120000000000", "1ms, 1000000", "1500us, 1500000", "0s, 0", "3h, 10800000000000",
            "7ns, 7"})
    void durationsFormatExactlyInTheLargestUnitThatDividesThem(String text, long nanos) {
        assertThat(Units.formatDuration(Duration.ofNanos(nanos))).isEqualTo(text);
        assertThat(Units.parseDuration(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @CsvSource({"64MiB, 67108864", "256KiB, 262144", "1GB, 1000000000", "1234B, 1234", "0B, 0", "1KB, 1000"})
    void sizesFormatExactlyAndReadBack(String text, long bytes) {
        assertThat(Units.formatBytes(bytes)).isEqualTo(text);
        assertThat(Units.parseBytes(text)).isEqualTo(bytes);
    }
}
