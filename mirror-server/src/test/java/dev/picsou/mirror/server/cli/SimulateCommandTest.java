package dev.picsou.mirror.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimulateCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = PicsouCli.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void jsonOutputIsOneParseableObjectWithEveryKey() throws Exception {
        int code = run("simulate", "--protocol", "ata", "--senders", "3", "--receivers", "3", "--entries", "300",
                "--entry-bytes", "256", "--seed", "5", "--json");
        assertThat(code).as(err::toString).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.isObject()).isTrue();
        for (String key : new String[] {"protocol", "senders", "receivers", "entries", "delivered", "violations",
                "violation_messages", "duplicates_applied", "wan_copies_per_entry", "wan_bytes_per_payload_byte",
                "resends", "max_attempts", "throughput_entries_per_s", "latency_p50_ms", "latency_p99_ms",
                "simulated_seconds", "wall_ms", "seed"}) {
            assertThat(json.has(key)).as(key).isTrue();
        }
        assertThat(json.get("protocol").asText()).isEqualTo("ata");
        assertThat(json.get("delivered").asLong()).isEqualTo(300);
        assertThat(json.get("violations").asLong()).isZero();
        assertThat(json.get("seed").asLong()).isEqualTo(5);
        assertThat(out.toString().trim()).startsWith("{").endsWith("}");
        assertThat(out.toString().trim().lines()).hasSize(1);
    }

    @Test
    void humanSummaryNamesTheRunAndItsMeasures() {
        int code = run("simulate", "--protocol", "ll", "--entries", "200", "--loss", "0");
        assertThat(code).as(err::toString).isZero();
        assertThat(out.toString()).contains("ll, 4 senders -> 4 receivers", "delivered       200/200",
                "violations      0", "throughput", "p50", "max attempts", "wall time");
    }

    @Test
    void badOptionValueExitsTwoNamingTheOption() {
        int code = run("simulate", "--loss", "1.5");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("picsou simulate: --loss must be in [0, 1), was 1.5")
                .contains("--help");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void tuningOptionsReachTheRunsParameters() throws Exception {
        int code = run("simulate", "--entries", "200", "--site-commit-delay-ms", "30", "--sender-skew-ms", "4",
                "--reorder-grace-ms", "40", "--ack-interval-ms", "5", "--min-rto-ms", "300", "--json");
        assertThat(code).as(err::toString).isZero();
        String config = new ObjectMapper().readTree(out.toString()).get("config").asText();
        assertThat(config).contains("siteCommitDelayMs=30.0", "senderSkewMs=4.0", "reorderGraceNanos=40000000",
                "ackIntervalNanos=5000000", "rto(initial,min,max)=(600000000,300000000,");
    }

    @Test
    void faultsBeyondTheBoundExitTwo() {
        assertThat(run("simulate", "--crash-receivers", "2")).isEqualTo(2);
        assertThat(err.toString()).contains("--crash-receivers");
    }

    @Test
    void unknownProtocolExitsTwoListingTheValidNames() {
        int code = run("simulate", "--protocol", "carrier-pigeon");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--protocol", "picsou, ata, ll, otu, ost", "carrier-pigeon");
    }

    @Test
    void unknownOptionAndBadModeExitTwo() {
        assertThat(run("simulate", "--bogus")).isEqualTo(2);
        assertThat(run("simulate", "--byzantine-mode", "lie")).isEqualTo(2);
        assertThat(err.toString()).contains("drop-selective");
    }
}
