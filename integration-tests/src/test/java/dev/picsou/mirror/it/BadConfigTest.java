package dev.picsou.mirror.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operator mistakes with the deployment file: a node process refuses to start from an invalid file and names the
 * file, line and field (exit 4); an operator command given a file that does not exist exits 4 naming it.
 */
class BadConfigTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void nodeStartWithAnInvalidValueExitsFourNamingFileLineAndField() throws Exception {
        Path file = TestDeployment.create(dir).configFile();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int line = lines.indexOf("  election_timeout_min: 1s") + 1;
        assertThat(line).as("the generated file sets election_timeout_min").isPositive();
        lines.set(line - 1, "  election_timeout_min: 5 parsecs");
        Files.write(file, lines, StandardCharsets.UTF_8);

        ProcessResult r = runNode(file, "a1");

        assertThat(r.exitCode).as(r.toString()).isEqualTo(4);
        assertThat(r.output).as(r.toString())
                .contains(file.getFileName() + ":" + line + ": raft.election_timeout_min:")
                .contains("5 parsecs");
        assertThat(dir.resolve("data")).as("a refused node creates no data directory").doesNotExist();
    }

    @Test
    @Timeout(120)
    void nodeStartWithBrokenYamlExitsFourNamingFileAndLine() throws Exception {
        Path file = TestDeployment.create(dir).configFile();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int line = lines.indexOf("    nodes:") + 1;
        lines.set(line - 1, "    nodes: [unclosed");
        Files.write(file, lines, StandardCharsets.UTF_8);

        ProcessResult r = runNode(file, "b2");

        assertThat(r.exitCode).as(r.toString()).isEqualTo(4);
        assertThat(r.output).as(r.toString()).containsPattern(file.getFileName() + ":\\d+:");
        assertThat(r.output).as(r.toString()).doesNotContain(" up: ");
    }

    @Test
    void statusWithAMissingConfigFileExitsFourNamingIt() {
        Path missing = dir.resolve("no-such-deployment.yaml");

        Cli.Result r = Cli.run("status", "-c", missing.toString());
        Cli.Result json = Cli.json(missing, "status");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).as(r.toString()).contains("no-such-deployment.yaml");
        assertThat(json.exitCode()).as(json.toString()).isEqualTo(4);
        assertThat(json.json().path("ok").asBoolean(true)).as(json.toString()).isFalse();
        assertThat(json.json().path("exit_code").asInt()).as(json.toString()).isEqualTo(4);
        assertThat(json.json().path("error").asText()).as(json.toString()).contains("no-such-deployment.yaml");
    }

    @Test
    @Timeout(120)
    void nodeStartWithAnUnknownNodeIdExitsTwoNamingIt() throws Exception {
        Path file = TestDeployment.create(dir).configFile();

        ProcessResult r = runNode(file, "z9");

        assertThat(r.exitCode).as(r.toString()).isEqualTo(2);
        assertThat(r.output).as(r.toString()).contains("z9");
    }

    private record ProcessResult(int exitCode, String output) {
        @Override
        public String toString() {
            return "exit " + exitCode + ", output:\n" + output;
        }
    }

    /** {@code picsou node start} as a real process, which must exit by itself. */
    private ProcessResult runNode(Path file, String nodeId) throws IOException, InterruptedException {
        Path log = dir.resolve("node-" + nodeId + ".out");
        Process p = new ProcessBuilder(NodeProcess.javaCommand("node", "start", "--config", file.toString(),
                "--node", nodeId))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("the node process exits by itself").isTrue();
        } finally {
            p.destroyForcibly();
        }
        return new ProcessResult(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
