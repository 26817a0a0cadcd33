package dev.picsou.mirror.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.picsou.mirror.bridge.transport.LoopbackPorts;

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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child JVM ({@link MirrorSiteMain}) that runs the mirror site of each scenario in turn. One process serves the
 * whole bench run so that its JIT is warm after the first scenario, as the bench process's own is. Its status
 * lines keep the current site's counters fresh.
 */
final class ChildMirror implements AutoCloseable {
    private static final long START_TIMEOUT_SECONDS = 120;

    private final Process process;
    private final Writer commands;
    private final ObjectMapper json = new ObjectMapper();
    private volatile CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    /** Why no reply will come any more (the child's output ended or could not be read); null while it can. */
    private volatile IOException ended;
    private volatile long currentId = -1;
    private long nextId;
    private volatile long durableMin;
    private volatile long durableMax;
    private volatile long bytesSent;
    private volatile long cpuNanos;
    private volatile int leader = -1;

    /** This process's {@link LoopbackPorts#HALF_PROPERTY} before {@link #launch} set it; restored by {@link #close}. */
    private final String previousHalf;

    private ChildMirror(Process process, String previousHalf) {
        this.process = process;
        this.previousHalf = previousHalf;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readLoop, "bench-mirror-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts the child process (no site yet) with a heap of {@code heapBytes}, fixed and touched ({@link FixedHeap}),
     * where {@code -Dpicsou.bench.childJvmOpts} may choose otherwise, and glibc's malloc keeping what it frees
     * ({@link NativeHeap}). A process out of memory exits at once, and the
     * bench replaces it, rather than thrash for minutes.
     *
     * <p>From here on this process draws loopback ports from the lower half of {@link LoopbackPorts}' range (the
     * links of both sites, its own Raft servers) and the child from the upper half (its Raft servers): neither
     * sees the other's reservations, so without the split a link port drawn here and not yet bound could be taken
     * by a Raft server there. {@link #close} gives this process its earlier choice back.
     */
    static ChildMirror launch(long heapBytes) throws IOException {
        String previousHalf = System.setProperty(LoopbackPorts.HALF_PROPERTY, "lower");
        List<String> cmd = new ArrayList<>();
        cmd.add(JitMode.javaExecutable());
        String extra = System.getProperty("picsou.bench.childJvmOpts", "").strip();
        List<String> extraOptions = extra.isEmpty() ? List.of() : List.of(extra.split("\\s+"));
        cmd.addAll(FixedHeap.options(extraOptions, heapBytes));
        cmd.addAll(List.of("-XX:+UseParallelGC", "-XX:+ExitOnOutOfMemoryError",
                "-D" + LoopbackPorts.HALF_PROPERTY + "=upper",
                "-Djava.util.concurrent.ForkJoinPool.common.parallelism=" + CommonPool.PARALLELISM,
                "-Dpicsou.bench.graceMs=" + Long.getLong("picsou.bench.graceMs", 300),
                "-Dpicsou.bench.ackMs=" + Long.getLong("picsou.bench.ackMs", BenchParams.DEFAULT_ACK_MS),
                "-Dpicsou.bench.batchUs=" + BenchParams.BATCH_DELAY_NANOS / 1_000));
        cmd.addAll(JitMode.current().jvmOptions());
        cmd.addAll(extraOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MirrorSiteMain.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        NativeHeap.applyTo(builder.environment());
        Process process;
        try {
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            restoreHalf(previousHalf);
            throw e;
        }
        ChildMirror child = new ChildMirror(process, previousHalf);
        child.awaitRunning();
        return child;
    }

    /**
     * Waits until the child answers a command (an idle {@code stop}): its JVM has started and touched its heap. The
     * room guard's first reading of a scenario ({@link DataHeadroom}) must come after that, or it counts the heap
     * being touched as data written and stops the scenario. A child that does not answer fails the first scenario,
     * whose {@link #open} asks again (at once, with the exit code, if the child has ended).
     */
    private void awaitRunning() {
        try {
            ask("stop", START_TIMEOUT_SECONDS);
        } catch (IOException e) {
            // reported by the scenario's open()
        }
    }

    /** Starts the mirror site of {@code s} in the child and returns its handle once it runs. */
    synchronized MirrorHandle open(BenchScenario s, BenchLinks links, Path dir) throws IOException {
        long id = nextId++;
        String start = String.join(" ", "start", "id", Long.toString(id), "links", links.encode(),
                "dir", dir.toString(), "protocol", s.protocol(), "senders", Integer.toString(s.senders()),
                "receivers", Integer.toString(s.receivers()), "entry-bytes", Integer.toString(s.entryBytes()),
                "uplink-mbps", Double.toString(s.uplinkMbps()), "one-way-delay-ms", Double.toString(s.oneWayDelayMs()),
                "crash-receivers", Integer.toString(s.crashReceivers()));
        JsonNode answer = ask(start, START_TIMEOUT_SECONDS);
        if (!answer.path("type").asText().equals("ready") || answer.path("id").asLong() != id) {
            throw new IOException("the mirror site process could not start the site: " + answer);
        }
        durableMin = 0;
        durableMax = 0;
        bytesSent = 0;
        leader = -1;
        currentId = id;
        return new Handle();
    }

    private JsonNode ask(String command, long timeoutSeconds) throws IOException {
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        reply = answer;
        // With readLoop's order (ended, then the reply it fails), either this sees ended or readLoop sees answer.
        IOException gone = ended;
        if (gone != null) {
            throw gone;
        }
        try {
            commands.write(command + "\n");
            commands.flush();
        } catch (IOException e) {
            throw process.isAlive() ? e : endedError();
        }
        try {
            return answer.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the mirror site process", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the mirror site process did not answer '" + command.split(" ")[0] + "' within "
                    + timeoutSeconds + " s", e);
        }
    }

    private IOException endedError() {
        try {
            process.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new IOException("the mirror site process ended" + (process.isAlive() ? ""
                : " with exit code " + process.exitValue()) + " (its own error, if any, is on stderr above)");
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
                if (node.path("type").asText().equals("status")) {
                    cpuNanos = node.path("cpu_nanos").asLong();
                    if (node.path("id").asLong() == currentId && currentId >= 0) {
                        durableMin = node.path("durable_min").asLong();
                        durableMax = node.path("durable_max").asLong();
                        bytesSent = node.path("bytes_sent").asLong();
                        leader = node.path("leader").asInt(-1);
                    }
                } else {
                    reply.complete(node);
                }
            }
            ended = endedError();
        } catch (IOException e) {
            ended = e;
        }
        reply.completeExceptionally(ended);
    }

    /** The child's process id (for pinning). */
    long pid() {
        return process.pid();
    }

    /** Whether the child process still runs. */
    boolean alive() {
        return process.isAlive();
    }

    /** The child's exit code; -1 while it runs. */
    int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** CPU time of the child process so far, nanoseconds. */
    long cpuNanos() {
        return cpuNanos;
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
        } finally {
            restoreHalf(previousHalf);
        }
    }

    private static void restoreHalf(String previous) {
        if (previous == null) {
            System.clearProperty(LoopbackPorts.HALF_PROPERTY);
        } else {
            System.setProperty(LoopbackPorts.HALF_PROPERTY, previous);
        }
    }

    /** The current site. */
    private final class Handle implements MirrorHandle {
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
        public int leader() {
            return leader;
        }

        @Override
        public List<MirrorSite.ReplicaCheck> verify() throws IOException {
            synchronized (ChildMirror.this) {
                JsonNode answer = ask("verify", 120);
                List<MirrorSite.ReplicaCheck> out = new ArrayList<>();
                for (JsonNode r : answer.path("replicas")) {
                    JsonNode broken = r.path("stream_broken");
                    StreamDigest.Snapshot stream = new StreamDigest.Snapshot(r.path("stream_last_seq").asLong(),
                            r.path("stream_hash").asLong(), r.path("stream_bytes").asLong(),
                            broken.isNull() || broken.isMissingNode() ? null : broken.asText());
                    out.add(new MirrorSite.ReplicaCheck(r.path("replica").asInt(), r.path("durable").asLong(),
                            stream, r.path("kv_sha256").asText(), r.path("kv_pairs").asLong()));
                }
                return out;
            }
        }

        @Override
        public void close() {
            synchronized (ChildMirror.this) {
                currentId = -1;
                try {
                    ask("stop", 60);
                } catch (IOException e) {
                    // the runner will notice a dead child at the next scenario
                }
            }
        }
    }
}
