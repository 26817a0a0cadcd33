package dev.picsou.mirror.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * One node of a {@link TestDeployment} as a real child JVM running {@code picsou node start --config F --node ID}
 * from the test JVM's own classpath. Its stdout and stderr go, appended across restarts, to {@code <id>.log} in the
 * deployment directory; failures quote its tail.
 *
 * <p>Not thread-safe: one test thread drives a node.
 */
public final class NodeProcess {
    /** How long a node JVM may take from spawn to answering {@code /health} on this shared 2-core machine. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private final String id;
    private final String admin;
    private final Path configFile;
    private final Path logFile;
    private Process process;

    NodeProcess(String id, String admin, Path configFile, Path logFile) {
        this.id = id;
        this.admin = admin;
        this.configFile = configFile;
        this.logFile = logFile;
    }

    public String id() {
        return id;
    }

    public Path logFile() {
        return logFile;
    }

    /** The command line of a node JVM: this JVM's java and classpath, the node's heap and GC. */
    static List<String> javaCommand(String... picsouArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseParallelGC");
        cmd.add("-Xmx384m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.picsou.mirror.server.cli.PicsouCli");
        cmd.addAll(List.of(picsouArgs));
        return cmd;
    }

    /** Spawns the node's JVM; returns at once (see {@link #awaitUp()}). */
    public NodeProcess start() throws IOException {
        if (isAlive()) {
            throw new IllegalStateException("node " + id + " is already running (pid " + process.pid() + ")");
        }
        Files.writeString(logFile, "==== " + Instant.now() + " starting node " + id + System.lineSeparator(),
                StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        process = new ProcessBuilder(javaCommand("node", "start", "--config", configFile.toString(), "--node", id))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        return this;
    }

    /** Waits until {@code GET /health} answers 200 (the node runs an epoch); fails early if the JVM exits. */
    public NodeProcess awaitUp() {
        awaitAnswering(() -> health().orElse(0) == 200, "answer /health with 200");
        return this;
    }

    /** Waits until the node answers {@code /status} at all (it may be idle, not running an epoch). */
    public NodeProcess awaitAnswering() {
        awaitAnswering(() -> tryStatus().isPresent(), "answer /status");
        return this;
    }

    private void awaitAnswering(Callable<Boolean> condition, String what) {
        Awaitility.await("node " + id + " to " + what)
                .atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> {
                    if (!isAlive()) {
                        throw new AssertionError("node " + id + " exited with " + exitValue() + " before it could "
                                + what + "; log tail:\n" + logTail(40));
                    }
                    return condition.call();
                });
    }

    /** SIGKILL (Process.destroyForcibly on Linux), then waits for the JVM to be gone. */
    public void kill9() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM (the node's shutdown hook stops it in order); SIGKILL if it is not gone after 30 s. */
    public void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGSTOP: the JVM freezes (no heartbeats, no acknowledgements) but keeps its sockets, like a partition. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    private String exitValue() {
        return process == null || process.isAlive() ? "(running)" : Integer.toString(process.exitValue());
    }

    /** {@code GET /status}, or empty if the node does not answer. */
    public Optional<JsonNode> tryStatus() {
        try {
            return Optional.of(status());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code GET /status}. */
    public JsonNode status() throws IOException {
        return get("/status");
    }

    /** {@code GET path} on the admin endpoint, parsed as JSON whatever the HTTP status. */
    public JsonNode get(String path) throws IOException {
        return JSON.readTree(send(path).body());
    }

    private Optional<Integer> health() {
        try {
            return Optional.of(send("/health").statusCode());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private HttpResponse<String> send(String path) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + admin + path))
                .timeout(Duration.ofSeconds(5)).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The last {@code lines} lines of the node's log. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return "node " + id + (process == null ? "" : " (pid " + process.pid() + ", " + (isAlive() ? "alive"
                : "exited " + exitValue()) + ")");
    }
}
