package dev.picsou.mirror.server.bench;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mirror sites of a bench run in their own process (started by {@link ChildMirror}), so that they do not take
 * the primary site's CPU; one process serves every scenario of a run in turn, so its JIT stays warm. Talks JSON
 * lines. Commands on stdin: {@code start id links ENCODED dir PATH protocol P senders N receivers M entry-bytes B
 * uplink-mbps X one-way-delay-ms Y crash-receivers K} (answered {@code {"type":"ready","id":id}} once the site
 * runs, or {@code {"type":"error",...}}), {@code verify} (one {@code verify} line), {@code stop} (answered
 * {@code stopped}), {@code quit} or end of input (exit). Every {@value #STATUS_MILLIS} ms a {@code status} line
 * ({@code id, durable_min, durable_max, bytes_sent, cpu_nanos, leader}). Logs go to stderr. Not a user command.
 */
public final class MirrorSiteMain {
    static final int STATUS_MILLIS = 20;

    private final PrintStream out;
    private final ObjectMapper json = new ObjectMapper();
    private volatile MirrorSite site;
    private volatile long siteId = -1;

    private MirrorSiteMain(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        CommonPool.ensure();
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err); // nothing but protocol lines on the real stdout
        new MirrorSiteMain(out).serve();
        System.exit(0);
    }

    private void serve() throws IOException {
        Thread status = new Thread(this::statusLoop, "bench-mirror-status");
        status.setDaemon(true);
        status.start();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.trim().split("\\s+");
            switch (words[0]) {
                case "start" -> start(words);
                case "verify" -> emit(verifyLine());
                case "stop" -> {
                    stopSite();
                    emit(Map.of("type", "stopped"));
                }
                case "quit" -> {
                    stopSite();
                    return;
                }
                default -> emit(Map.of("type", "error", "message", "unknown command " + words[0]));
            }
        }
        stopSite();
    }

    private void start(String[] words) {
        Map<String, String> a = new HashMap<>();
        for (int i = 1; i + 1 < words.length; i += 2) {
            a.put(words[i], words[i + 1]);
        }
        stopSite();
        try {
            BenchScenario scenario = new BenchScenario(a.get("protocol"), Integer.parseInt(a.get("senders")),
                    Integer.parseInt(a.get("receivers")), Integer.parseInt(a.get("entry-bytes")), Duration.ZERO,
                    Duration.ofSeconds(1), Double.parseDouble(a.get("uplink-mbps")),
                    Double.parseDouble(a.get("one-way-delay-ms")), 0, Integer.parseInt(a.get("crash-receivers")), 0,
                    1);
            MirrorSite started = new MirrorSite(scenario, BenchLinks.decode(a.get("links")), Path.of(a.get("dir")));
            site = started;
            started.start();
            siteId = Long.parseLong(a.get("id"));
            emit(Map.of("type", "ready", "id", siteId));
        } catch (IOException | RuntimeException e) {
            stopSite();
            emit(Map.of("type", "error", "message", String.valueOf(e)));
        }
    }

    private void stopSite() {
        MirrorSite s = site;
        siteId = -1;
        site = null;
        if (s != null) {
            s.close();
        }
    }

    private Map<String, Object> verifyLine() {
        List<Map<String, Object>> replicas = new ArrayList<>();
        MirrorSite s = site;
        if (s != null) {
            for (MirrorSite.ReplicaCheck c : s.verify()) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("replica", c.replica());
                r.put("durable", c.durable());
                r.put("stream_last_seq", c.stream().lastSeq());
                r.put("stream_hash", c.stream().hash());
                r.put("stream_bytes", c.stream().payloadBytes());
                r.put("stream_broken", c.stream().broken());
                r.put("kv_sha256", c.kvSha256());
                r.put("kv_pairs", c.kvPairs());
                replicas.add(r);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "verify");
        m.put("replicas", replicas);
        return m;
    }

    private void statusLoop() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        while (true) {
            long id = siteId;
            MirrorSite s = site;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "status");
            m.put("id", id);
            boolean live = s != null && id >= 0;
            m.put("durable_min", live ? s.durableMin() : 0);
            m.put("durable_max", live ? s.durableMax() : 0);
            m.put("bytes_sent", live ? s.bytesSent() : 0);
            m.put("leader", live ? s.leader() : -1);
            m.put("cpu_nanos", os instanceof com.sun.management.OperatingSystemMXBean sun
                    ? sun.getProcessCpuTime() : 0L);
            emit(m);
            try {
                Thread.sleep(STATUS_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void emit(Map<String, ?> line) {
        try {
            String text = json.writeValueAsString(line);
            synchronized (out) {
                out.println(text);
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
