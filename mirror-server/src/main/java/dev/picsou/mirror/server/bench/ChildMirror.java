package dev.picsou.mirror.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The mirror site in a child JVM ({@link MirrorSiteMain}), optionally pinned to a CPU with {@code taskset}. The
 * child's status lines keep this handle's counters fresh (every {@value MirrorSiteMain#STATUS_MILLIS} ms).
 */
final class ChildMirror implements MirrorHandle {
    private static final long START_TIMEOUT_SECONDS = 120;

    private final Process process;
    private final Writer commands;
    private final ObjectMapper json = new ObjectMapper();
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile CompletableFuture<JsonNode> verifyReply = new CompletableFuture<>();
    private volatile long durableMin;
    private volatile long durableMax;
    private volatile long bytesSent;
    private volatile long cpuNanos;
    private volatile int leader = -1;

    private ChildMirror(Process process) {
        this.process = process;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readLoop, "bench-mirror-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts the child and waits until its site runs.
     *
     * @param cpu the CPU to pin it to, or -1 for none
     */
    static ChildMirror start(BenchScenario s, BenchLinks links, Path dir, int cpu) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (cpu >= 0) {
            cmd.addAll(List.of("taskset", "-c", Integer.toString(cpu)));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-XX:+UseParallelGC", "-Xms512m", "-Xmx2g",
                "-Djava.util.concurrent.ForkJoinPool.common.parallelism=" + CommonPool.PARALLELISM, "-cp", System.getProperty("java.class.path"),
                MirrorSiteMain.class.getName(),
                "links", links.encode(), "dir", dir.toString(), "protocol", s.protocol(),
                "senders", Integer.toString(s.senders()), "receivers", Integer.toString(s.receivers()),
                "entry-bytes", Integer.toString(s.entryBytes()), "uplink-mbps", Double.toString(s.uplinkMbps()),
                "one-way-delay-ms", Double.toString(s.oneWayDelayMs()),
                "crash-receivers", Integer.toString(s.crashReceivers())));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ChildMirror child = new ChildMirror(p);
        try {
            if (!child.ready.await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                child.close();
                throw new IOException("the mirror site process did not start within " + START_TIMEOUT_SECONDS
                        + " s (exit " + (p.isAlive() ? "none yet" : p.exitValue()) + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.close();
            throw new IOException("interrupted while starting the mirror site process", e);
        }
        if (!p.isAlive()) {
            throw new IOException("the mirror site process exited with " + p.exitValue());
        }
        return child;
    }

    private void readLoop() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.startsWith("{")) {
                    continue;
                }
                JsonNode node = json.readTree(line);
                switch (node.path("type").asText()) {
                    case "ready" -> ready.countDown();
                    case "status" -> {
                        durableMin = node.path("durable_min").asLong();
                        durableMax = node.path("durable_max").asLong();
                        bytesSent = node.path("bytes_sent").asLong();
                        cpuNanos = node.path("cpu_nanos").asLong();
                        leader = node.path("leader").asInt(-1);
                    }
                    case "verify" -> verifyReply.complete(node);
                    default -> { }
                }
            }
        } catch (IOException e) {
            verifyReply.completeExceptionally(e);
        }
        ready.countDown();
        verifyReply.completeExceptionally(new IOException("the mirror site process ended"));
    }

    @Override
    public long durableMax() {
        return durableMax;
    }

    @Override
    public long durableMin() {
        return durableMin;
    }

    @Override
    public long bytesSent() {
        return bytesSent;
    }

    @Override
    public long cpuNanos() {
        return cpuNanos;
    }

    @Override
    public int leader() {
        return leader;
    }

    @Override
    public synchronized List<MirrorSite.ReplicaCheck> verify() throws IOException {
        verifyReply = new CompletableFuture<>();
        commands.write("verify\n");
        commands.flush();
        JsonNode reply;
        try {
            reply = verifyReply.get(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while verifying the mirror", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the mirror site process did not answer verify", e);
        }
        List<MirrorSite.ReplicaCheck> out = new ArrayList<>();
        for (JsonNode r : reply.path("replicas")) {
            JsonNode broken = r.path("stream_broken");
            StreamDigest.Snapshot stream = new StreamDigest.Snapshot(r.path("stream_last_seq").asLong(),
                    r.path("stream_hash").asLong(), r.path("stream_bytes").asLong(),
                    broken.isNull() || broken.isMissingNode() ? null : broken.asText());
            out.add(new MirrorSite.ReplicaCheck(r.path("replica").asInt(), r.path("durable").asLong(), stream,
                    r.path("kv_sha256").asText(), r.path("kv_pairs").asLong()));
        }
        return out;
    }

    @Override
    public void close() {
        try {
            commands.write("quit\n");
            commands.flush();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
