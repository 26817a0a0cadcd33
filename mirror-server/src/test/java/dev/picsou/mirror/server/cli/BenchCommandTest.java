package dev.picsou.mirror.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.picsou.mirror.server.bench.JitMode;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int run(String... args) {
        CommandLine cli = PicsouCli.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    @Timeout(240)
    void smokeScenarioDeliversEverythingAndPrintsOneJsonDocumentAndAChart() throws Exception {
        Path chart = dir.resolve("chart.svg");
        // The JIT mode this test JVM runs: no relaunch, so the output stays in this process's writers.
        // A 3 s warmup: a cold link can hold the first entries for a retransmission timeout, which the preset's
        // 1 s warmup does not cover, and the 2 s window then saw no entry made durable (entries_per_s 0).
        int code = run("bench", "--preset", "smoke", "--warmup", "3", "--json", "--quiet", "--no-pin", "--jit",
                JitMode.current().toString(), "--dir", dir.resolve("data").toString(), "--mirror-dir",
                dir.resolve("mirror").toString(), "--plot", chart.toString());

        assertThat(code).as(err::toString).isZero();
        JsonNode doc = new ObjectMapper().readTree(out.toString());
        assertThat(doc.fieldNames()).toIterable().containsExactly("scenarios", "jit", "summary");
        assertThat(doc.get("jit").asText()).isEqualTo(JitMode.current().toString());
        assertThat(doc.get("scenarios")).hasSize(1);
        JsonNode s = doc.get("scenarios").get(0);
        for (String key : new String[] {"protocol", "senders", "receivers", "entry_bytes", "entries_per_s",
                "mb_per_s", "lag_p50_ms", "lag_p99_ms", "wan_copies_per_entry", "wan_bytes_per_payload_byte",
                "resends", "cpu_percent"}) {
            assertThat(s.has(key)).as(key).isTrue();
        }
        assertThat(s.get("protocol").asText()).isEqualTo("picsou");
        assertThat(s.get("delivery_ok").asBoolean()).as(s::toString).isTrue();
        assertThat(s.get("digests_match").asBoolean()).as(s::toString).isTrue();
        assertThat(s.get("committed").asLong()).isPositive().isEqualTo(s.get("delivered").asLong());
        assertThat(s.get("entries_per_s").asDouble()).isPositive();
        assertThat(s.get("wan_copies_per_entry").asDouble()).isGreaterThanOrEqualTo(1.0);
        assertThat(s.get("wan_bytes_per_payload_byte").asDouble()).isGreaterThan(1.0);
        assertThat(Files.readString(chart)).startsWith("<svg").contains("picsou 3+3");
    }

    /**
     * A mirror child whose JVM does not start fails the scenario with its exit code, at once: the reply a command
     * waits for after the child's output ended fails instead of waiting out its timeout (120 s).
     */
    @Test
    @Timeout(60)
    void aMirrorProcessThatCannotStartFailsTheScenarioWithItsExitCode() throws Exception {
        System.setProperty("picsou.bench.childJvmOpts", "-XX:+NoSuchOptionInAnyJvm");
        int code;
        try {
            code = run("bench", "--protocols", "picsou", "--senders", "3", "--duration", "1", "--warmup", "0",
                    "--jit-warmup", "0", "--json", "--quiet", "--no-pin", "--jit", JitMode.current().toString(),
                    "--dir", dir.resolve("data").toString(), "--mirror-dir", dir.resolve("mirror").toString());
        } finally {
            System.clearProperty("picsou.bench.childJvmOpts");
        }

        assertThat(code).as(err::toString).isEqualTo(PicsouCli.EXIT_FAILED);
        JsonNode scenarios = new ObjectMapper().readTree(out.toString()).get("scenarios");
        assertThat(scenarios).hasSize(1);
        assertThat(scenarios.get(0).get("problems").toString())
                .contains("the mirror site process ended with exit code");
    }

    @Test
    @Timeout(120)
    void aScenarioWithoutRoomForItsDataIsNotStartedAndFailsWithTheReason() throws Exception {
        System.setProperty("picsou.bench.minRoomMiB", Long.toString(Long.MAX_VALUE >> 21));
        int code;
        try {
            code = run("bench", "--protocols", "none,picsou", "--senders", "3", "--duration", "1", "--warmup", "0",
                    "--json", "--quiet", "--no-pin", "--jit", JitMode.current().toString(), "--dir",
                    dir.resolve("data").toString());
        } finally {
            System.clearProperty("picsou.bench.minRoomMiB");
        }

        assertThat(code).as(err::toString).isEqualTo(PicsouCli.EXIT_FAILED);
        JsonNode scenarios = new ObjectMapper().readTree(out.toString()).get("scenarios");
        assertThat(scenarios).hasSize(2).allSatisfy(s -> {
            assertThat(s.get("committed").asLong()).isZero();
            assertThat(s.get("problems").toString()).contains("not started: the data directories have too little"
                    + " room").contains("MiB left in " + dir);
        });
    }

    @Test
    void badOptionsAreRefusedWithExitCodeTwoAndNameTheOption() {
        assertThat(run("bench", "--protocols", "carrier-pigeon")).isEqualTo(PicsouCli.EXIT_USAGE);
        assertThat(err.toString()).contains("carrier-pigeon").contains("valid names");

        assertThat(run("bench", "--senders", "3", "--crash-senders", "2")).isEqualTo(PicsouCli.EXIT_USAGE);
        assertThat(err.toString()).contains("--crash-senders must be in [0, 1]");

        assertThat(run("bench", "--entry-bytes", "10")).isEqualTo(PicsouCli.EXIT_USAGE);
        assertThat(err.toString()).contains("--entry-bytes must be in [100, 1048576]");

        assertThat(run("bench", "--duration", "0")).isEqualTo(PicsouCli.EXIT_USAGE);
        assertThat(err.toString()).contains("--duration must be in [1, 3600]");

        assertThat(run("bench", "--preset", "nope")).isEqualTo(PicsouCli.EXIT_USAGE);
        assertThat(run("bench", "--jit", "c3")).isEqualTo(PicsouCli.EXIT_USAGE);
        assertThat(err.toString()).contains("--jit must be c1 or c2, was 'c3'");
        assertThat(err.toString()).contains("unknown --preset 'nope'");

        assertThat(run("bench", "--heap", "lots")).isEqualTo(PicsouCli.EXIT_USAGE);
        assertThat(err.toString()).contains("--heap must be auto or a size").contains("\"lots\" is not a byte size");
        assertThat(run("bench", "--heap", "64MiB")).isEqualTo(PicsouCli.EXIT_USAGE);
        assertThat(err.toString()).contains("--heap 64MiB must be at least 512MiB");

        assertThat(run("bench", "--dir", dir.toString())).isEqualTo(PicsouCli.EXIT_USAGE);
        assertThat(err.toString()).contains("already exists");
    }
}
