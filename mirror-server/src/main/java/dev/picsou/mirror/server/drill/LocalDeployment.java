package dev.picsou.mirror.server.drill;

import dev.picsou.mirror.bridge.transport.LoopbackPorts;
import dev.picsou.mirror.config.ConfigException;
import dev.picsou.mirror.config.ConfigLoader;
import dev.picsou.mirror.config.DeploymentConfig;
import dev.picsou.mirror.config.NodeConfig;
import dev.picsou.mirror.config.SiteConfig;
import dev.picsou.mirror.server.node.NodeClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A two-site deployment on loopback whose every node is a separate JVM process running {@code picsou node start}
 * from this JVM's own classpath: what {@code picsou drill} and the multi-process tests stand on. Writes the YAML
 * file (free ports picked at creation), starts, kills (SIGKILL) and restarts node processes; each node's output goes
 * to {@code <dir>/logs/<node>.log}.
 */
public final class LocalDeployment implements AutoCloseable {
    private static final Duration UP_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final Path configFile;
    private final DeploymentConfig config;
    private final Map<String, Process> processes = new LinkedHashMap<>();

    /**
     * One site's shape in the generated file.
     *
     * @param durability {@code async} or {@code sync}
     * @param onTimeout  for sync: {@code degrade} or {@code keep-blocking}
     */
    public record SiteSpec(String id, String role, int nodes, String durability, String onTimeout) {
    }

    private LocalDeployment(Path dir, Path configFile, DeploymentConfig config) {
        this.dir = dir;
        this.configFile = configFile;
        this.config = config;
    }

    /**
     * Writes {@code <dir>/deployment.yaml} for the given sites (free loopback ports, data under {@code <dir>/data})
     * and loads it. Starts nothing.
     */
    public static LocalDeployment create(Path dir, List<SiteSpec> sites, String extraYaml) throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        StringBuilder y = new StringBuilder("name: local-drill\nsites:\n");
        List<Integer> ports = LoopbackPorts.free(sites.stream().mapToInt(SiteSpec::nodes).sum() * 3);
        int p = 0;
        for (SiteSpec s : sites) {
            y.append("  - id: ").append(s.id()).append('\n')
                    .append("    role: ").append(s.role()).append('\n')
                    .append("    u: ").append((s.nodes() - 1) / 2).append("\n    r: 0\n")
                    .append("    durability:\n      mode: ").append(s.durability())
                    .append("\n      sync_timeout: 30s\n      on_timeout: ").append(s.onTimeout()).append('\n')
                    .append("    nodes:\n");
            for (int i = 1; i <= s.nodes(); i++) {
                String id = s.id() + "-" + i;
                y.append("      - id: ").append(id).append('\n')
                        .append("        raft: 127.0.0.1:").append(ports.get(p++)).append('\n')
                        .append("        picsou: 127.0.0.1:").append(ports.get(p++)).append('\n')
                        .append("        admin: 127.0.0.1:").append(ports.get(p++)).append('\n')
                        .append("        data: data/").append(id).append('\n');
            }
        }
        y.append(extraYaml == null ? "" : extraYaml);
        Path file = dir.resolve("deployment.yaml");
        Files.writeString(file, y.toString(), StandardCharsets.UTF_8);
        try {
            return new LocalDeployment(dir, file, ConfigLoader.load(file));
        } catch (ConfigException e) {
            throw new IllegalStateException("generated an invalid deployment file:\n" + e.getMessage(), e);
        }
    }

    public DeploymentConfig config() {
        return config;
    }

    public Path configFile() {
        return configFile;
    }

    public Path dir() {
        return dir;
    }

    /** Starts every node of {@code siteId} that is not running and waits until each answers {@code /status}. */
    public void startSite(String siteId) throws IOException {
        SiteConfig site = config.site(siteId);
        for (NodeConfig n : site.nodes()) {
            start(n.id());
        }
        for (NodeConfig n : site.nodes()) {
            awaitUp(n);
        }
    }

    /** Starts node {@code nodeId}'s process (no wait). */
    public synchronized void start(String nodeId) throws IOException {
        Process running = processes.get(nodeId);
        if (running != null && running.isAlive()) {
            return;
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseParallelGC", "-Xmx384m", "-Xss512k",
                "-Djava.util.concurrent.ForkJoinPool.common.parallelism=4",
                "-cp", System.getProperty("java.class.path"), "dev.picsou.mirror.server.cli.PicsouCli",
                "node", "start", "--config", configFile.toString(), "--node", nodeId));
        Path log = dir.resolve("logs").resolve(nodeId + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        processes.put(nodeId, p);
    }

    /** SIGKILLs every node of {@code siteId} at once (kill -9: no shutdown hook runs). */
    public void killSite(String siteId) throws InterruptedException {
        List<Process> killed = new ArrayList<>();
        synchronized (this) {
            for (NodeConfig n : config.site(siteId).nodes()) {
                Process p = processes.remove(n.id());
                if (p != null) {
                    p.destroyForcibly();
                    killed.add(p);
                }
            }
        }
        for (Process p : killed) {
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private void awaitUp(NodeConfig n) throws IOException {
        long deadline = System.nanoTime() + UP_TIMEOUT.toNanos();
        while (NodeClient.tryStatus(n, Duration.ofSeconds(1)).isEmpty()) {
            Process p;
            synchronized (this) {
                p = processes.get(n.id());
            }
            if (p == null || !p.isAlive()) {
                throw new IOException("node " + n.id() + " exited during startup; see "
                        + dir.resolve("logs").resolve(n.id() + ".log"));
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("node " + n.id() + " did not answer within " + UP_TIMEOUT);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    /** Stops every node with SIGTERM (graceful), then SIGKILL after 20 s. */
    @Override
    public synchronized void close() {
        for (Process p : processes.values()) {
            p.destroy();
        }
        for (Process p : processes.values()) {
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        processes.clear();
    }
}
