package dev.picsou.mirror.server.bench;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
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
 * The mirror site of a bench run as its own process (started by {@link ChildMirror}), so that it does not take
 * the primary site's CPU. Talks JSON lines: on stdout one {@code {"type":"ready"}} once the site runs, then a
 * {@code status} line every {@value #STATUS_MILLIS} ms ({@code durable_min, durable_max, bytes_sent, cpu_nanos,
 * leader}); on stdin the commands {@code verify} (answered with one {@code verify} line) and {@code quit} (or end
 * of input): close and exit. Logs go to stderr. Not a user command: the arguments are the bench's own.
 *
 * <p>Arguments, in pairs: {@code links ENCODED dir PATH protocol P senders N receivers M entry-bytes B
 * uplink-mbps X one-way-delay-ms Y crash-receivers K}.
 */
public final class MirrorSiteMain {
    static final int STATUS_MILLIS = 20;

    private MirrorSiteMain() {
    }

    public static void main(String[] args) throws Exception {
        CommonPool.ensure();
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i], args[i + 1]);
        }
        BenchScenario scenario = new BenchScenario(a.get("protocol"), Integer.parseInt(a.get("senders")),
                Integer.parseInt(a.get("receivers")), Integer.parseInt(a.get("entry-bytes")), Duration.ZERO,
                Duration.ofSeconds(1), Double.parseDouble(a.get("uplink-mbps")),
                Double.parseDouble(a.get("one-way-delay-ms")), 0, Integer.parseInt(a.get("crash-receivers")), 0, 1);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        System.setOut(System.err); // nothing but protocol lines on the real stdout
        ObjectMapper json = new ObjectMapper();
        try (MirrorSite site = new MirrorSite(scenario, BenchLinks.decode(a.get("links")), Path.of(a.get("dir")))) {
            site.start();
            emit(out, json, Map.of("type", "ready"));
            Thread status = new Thread(() -> statusLoop(site, out, json), "bench-mirror-status");
            status.setDaemon(true);
            status.start();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.trim().equals("quit")) {
                if (line.trim().equals("verify")) {
                    emit(out, json, verifyLine(site));
                }
            }
        }
        System.exit(0);
    }

    private static Map<String, Object> verifyLine(MirrorSite site) {
        List<Map<String, Object>> replicas = new ArrayList<>();
        for (MirrorSite.ReplicaCheck c : site.verify()) {
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
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "verify");
        m.put("replicas", replicas);
        return m;
    }

    private static void statusLoop(MirrorSite site, PrintStream out, ObjectMapper json) {
        var os = ManagementFactory.getOperatingSystemMXBean();
        while (true) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "status");
            m.put("durable_min", site.durableMin());
            m.put("durable_max", site.durableMax());
            m.put("bytes_sent", site.bytesSent());
            m.put("cpu_nanos", os instanceof com.sun.management.OperatingSystemMXBean sun
                    ? sun.getProcessCpuTime() : 0L);
            m.put("leader", site.leader());
            emit(out, json, m);
            try {
                Thread.sleep(STATUS_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void emit(PrintStream out, ObjectMapper json, Map<String, ?> line) {
        try {
            String text = json.writeValueAsString(line);
            synchronized (out) {
                out.println(text);
                out.flush();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
