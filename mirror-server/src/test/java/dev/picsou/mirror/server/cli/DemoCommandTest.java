package dev.picsou.mirror.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoCommandTest {
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
    @Timeout(180)
    void shortDemoMirrorsEveryWriteAndPrintsOneJsonObject() throws Exception {
        int code = run("demo", "--duration", "2", "--dir", dir.resolve("demo").toString(), "--json");

        assertThat(code).as(err::toString).isZero();
        assertThat(out.toString().trim().lines()).hasSize(1);
        JsonNode json = new ObjectMapper().readTree(out.toString());
        for (String key : new String[] {"primary_seq", "mirror_seq", "quacked_seq", "digest_match", "entries_per_s",
                "lag_p50_ms", "lag_p99_ms", "wan_copies_per_entry", "resends"}) {
            assertThat(json.has(key)).as(key).isTrue();
        }
        assertThat(json.get("digest_match").asBoolean()).isTrue();
        assertThat(json.get("primary_seq").asLong()).isPositive()
                .isEqualTo(json.get("mirror_seq").asLong()).isEqualTo(json.get("quacked_seq").asLong());
    }

    @Test
    void badOptionsAreRefusedWithExitCodeTwoAndNameTheOption() {
        assertThat(run("demo", "--duration", "0")).isEqualTo(PicsouCli.EXIT_USAGE);
        assertThat(err.toString()).contains("--duration must be in [1, 3600]");

        assertThat(run("demo", "--protocol", "carrier-pigeon")).isEqualTo(PicsouCli.EXIT_USAGE);
        assertThat(err.toString()).contains("--protocol").contains("carrier-pigeon");

        assertThat(run("demo", "--dir", dir.toString())).isEqualTo(PicsouCli.EXIT_USAGE);
        assertThat(err.toString()).contains("already exists");
    }
}
