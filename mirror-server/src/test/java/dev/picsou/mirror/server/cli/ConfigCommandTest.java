package dev.picsou.mirror.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigCommandTest {
    private static final String EXAMPLE = Path.of("..", "docs", "examples", "local-3x3.yaml").toString();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    private Path dir;

    private int run(String... args) {
        CommandLine cli = PicsouCli.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    /** Two problems: dc-west is too small for u=2 (line 11), w3's admin address is e1's raft address (line 14). */
    private Path badFile() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                sites:
                  - id: dc-east
                    role: primary
                    nodes:
                      - {id: e1, raft: "127.0.0.1:17001", picsou: "127.0.0.1:17101", admin: "127.0.0.1:17201", data: e1}
                      - {id: e2, raft: "127.0.0.1:17002", picsou: "127.0.0.1:17102", admin: "127.0.0.1:17202", data: e2}
                      - {id: e3, raft: "127.0.0.1:17003", picsou: "127.0.0.1:17103", admin: "127.0.0.1:17203", data: e3}
                  - id: dc-west
                    role: mirror
                    u: 2
                    nodes:
                      - {id: w1, raft: "127.0.0.1:18001", picsou: "127.0.0.1:18101", admin: "127.0.0.1:18201", data: w1}
                      - {id: w2, raft: "127.0.0.1:18002", picsou: "127.0.0.1:18102", admin: "127.0.0.1:18202", data: w2}
                      - {id: w3, raft: "127.0.0.1:18003", picsou: "127.0.0.1:18103", admin: "127.0.0.1:17001", data: w3}
                """);
        return file;
    }

    @Test
    void validFileExitsZeroWithASummaryOfSitesRolesNodesAndAddresses() {
        int code = run("config", "check", EXAMPLE);

        assertThat(code).as(err::toString).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString()).startsWith(EXAMPLE + ": valid; deployment local-3x3: 2 sites, 6 nodes, "
                + "protocol picsou, TLS off").contains(
                "site dc-east: primary, u=1 r=0, 3 nodes, durability async",
                "site dc-west: mirror, u=1 r=0, 3 nodes, durability async",
                "east-1  raft 127.0.0.1:17001  picsou 127.0.0.1:17101  admin 127.0.0.1:17201  data ",
                "west-3  raft 127.0.0.1:18003  picsou 127.0.0.1:18103  admin 127.0.0.1:18203  data ");
        assertThat(out.toString().lines()).hasSize(9);
    }

    @Test
    void validFileWithJsonPrintsOneObjectWithSitesAndNodes() throws Exception {
        int code = run("config", "check", EXAMPLE, "--json");

        assertThat(code).as(err::toString).isZero();
        assertThat(out.toString().trim().lines()).hasSize(1);
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("ok").asBoolean()).isTrue();
        assertThat(json.get("file").asText()).isEqualTo(EXAMPLE);
        assertThat(json.get("sites")).hasSize(2);
        JsonNode east = json.get("sites").get(0);
        assertThat(east.get("id").asText()).isEqualTo("dc-east");
        assertThat(east.get("role").asText()).isEqualTo("primary");
        assertThat(east.get("u").asInt()).isEqualTo(1);
        assertThat(east.get("r").asInt()).isZero();
        assertThat(east.get("durability").get("mode").asText()).isEqualTo("async");
        JsonNode node = east.get("nodes").get(1);
        assertThat(node.get("id").asText()).isEqualTo("east-2");
        assertThat(node.get("raft").asText()).isEqualTo("127.0.0.1:17002");
        assertThat(node.get("picsou").asText()).isEqualTo("127.0.0.1:17102");
        assertThat(node.get("admin").asText()).isEqualTo("127.0.0.1:17202");
        Path data = Path.of(node.get("data").asText());
        assertThat(data.isAbsolute() && data.endsWith(Path.of("examples", "data", "east-2"))).as(data.toString())
                .isTrue();
    }

    @Test
    void invalidFileExitsOnePrintingEveryProblemWithLineAndFieldOnStderr() throws Exception {
        Path bad = badFile();

        int code = run("config", "check", bad.toString());

        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines()).containsExactly(
                bad + ":11: sites[1].nodes: site dc-west has 3 nodes; u=2, r=0 needs at least 5 (2u+r+1)",
                bad + ":14: sites[1].nodes[2].admin: 127.0.0.1:17001 is already the raft address of e1 "
                        + "(sites[0].nodes[0].raft, line 5); expected each host:port used once");
    }

    @Test
    void invalidFileWithJsonPrintsTheProblemsOnStdout() throws Exception {
        Path bad = badFile();

        int code = run("config", "check", "--json", bad.toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).isEmpty();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("ok").asBoolean()).isFalse();
        assertThat(json.get("file").asText()).isEqualTo(bad.toString());
        assertThat(json.get("problems")).hasSize(2);
        JsonNode second = json.get("problems").get(1);
        assertThat(second.get("line").asInt()).isEqualTo(14);
        assertThat(second.get("field").asText()).isEqualTo("sites[1].nodes[2].admin");
        assertThat(second.get("message").asText()).startsWith("127.0.0.1:17001 is already the raft address");
    }

    @Test
    void missingFileExitsOneWithOneLineNamingIt() {
        Path missing = dir.resolve("nowhere.yaml");

        int code = run("config", "check", missing.toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString().lines()).containsExactly(missing + ": no such file; expected a readable YAML file");
    }

    @Test
    void badOptionsExitTwo() {
        assertThat(run("config", "check")).isEqualTo(2);
        assertThat(err.toString()).contains("picsou config check: ", "FILE");
        assertThat(run("config", "check", "--bogus", EXAMPLE)).isEqualTo(2);
        assertThat(run("config")).isEqualTo(2);
        assertThat(err.toString()).contains("missing subcommand, e.g. 'check'");
        assertThat(out.toString()).isEmpty();
    }
}
