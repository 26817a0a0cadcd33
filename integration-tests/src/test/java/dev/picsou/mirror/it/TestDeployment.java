package dev.picsou.mirror.it;

import dev.picsou.mirror.bridge.transport.LoopbackPorts;
import dev.picsou.mirror.config.ConfigException;
import dev.picsou.mirror.config.ConfigLoader;
import dev.picsou.mirror.config.DeploymentConfig;
import dev.picsou.mirror.config.DurabilityMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A 3+3 deployment on loopback for multi-process tests: a YAML file with free ports in a temporary directory, and one
 * {@link NodeProcess} per node. Site {@value #A} (nodes a1..a3) is configured primary, {@value #B} (b1..b3) mirror.
 * {@link #close()} kills every node that is still running.
 */
public final class TestDeployment implements AutoCloseable {
    /** The site configured primary. */
    public static final String A = "dc-a";
    /** The site configured mirror. */
    public static final String B = "dc-b";
    static final String FILE_NAME = "deployment.yaml";

    private final Path dir;
    private final Path configFile;
    private final Map<String, NodeProcess> nodes = new LinkedHashMap<>();
    private final DeploymentConfig config;

    private TestDeployment(Path dir, Path configFile, Map<String, String> admins) {
        this.dir = dir;
        this.configFile = configFile;
        admins.forEach((id, admin) -> nodes.put(id, new NodeProcess(id, admin, configFile, dir.resolve(id + ".log"))));
        try {
            this.config = ConfigLoader.load(configFile);
        } catch (ConfigException e) {
            throw new IllegalStateException("the generated deployment file is invalid:\n" + e.getMessage(), e);
        }
    }

    /**
     * What may differ between test deployments.
     *
     * @param durabilityA   the durability mode of {@value #A} (in force while it is primary)
     * @param durabilityB   the durability mode of {@value #B}
     * @param windowEntries the channel's {@code window_entries}: how far a primary streams beyond the mirror's QUACK
     */
    public record Options(DurabilityMode durabilityA, DurabilityMode durabilityB, int windowEntries) {
        /** Both sites asynchronous, the default window. */
        public static Options defaults() {
            return new Options(DurabilityMode.ASYNC, DurabilityMode.ASYNC, 8192);
        }

        public Options withDurability(DurabilityMode a, DurabilityMode b) {
            return new Options(a, b, windowEntries);
        }

        public Options withWindowEntries(int entries) {
            return new Options(durabilityA, durabilityB, entries);
        }
    }

    /** Writes {@value #FILE_NAME} into {@code dir} with fresh loopback ports; nothing is started. */
    public static TestDeployment create(Path dir, Options options) throws IOException {
        List<Integer> ports = LoopbackPorts.free(18);
        StringBuilder y = new StringBuilder();
        y.append("name: it-3x3\n");
        y.append("sites:\n");
        Map<String, String> admins = new LinkedHashMap<>();
        int p = 0;
        for (String site : List.of(A, B)) {
            DurabilityMode mode = site.equals(A) ? options.durabilityA() : options.durabilityB();
            y.append("  - id: ").append(site).append('\n');
            y.append("    role: ").append(site.equals(A) ? "primary" : "mirror").append('\n');
            y.append("    u: 1\n    r: 0\n");
            y.append("    durability:\n");
            y.append("      mode: ").append(mode.name().toLowerCase(Locale.ROOT)).append('\n');
            if (mode == DurabilityMode.SYNC) {
                y.append("      sync_timeout: 10s\n      on_timeout: degrade\n");
            }
            y.append("    nodes:\n");
            for (int i = 1; i <= 3; i++) {
                String id = site.substring(site.length() - 1) + i;
                String admin = "127.0.0.1:" + ports.get(p + 2);
                y.append("      - id: ").append(id).append('\n');
                y.append("        raft: 127.0.0.1:").append(ports.get(p)).append('\n');
                y.append("        picsou: 127.0.0.1:").append(ports.get(p + 1)).append('\n');
                y.append("        admin: ").append(admin).append('\n');
                y.append("        data: data/").append(id).append('\n');
                admins.put(id, admin);
                p += 3;
            }
        }
        y.append("channel:\n  retransmit_timeout_initial: 300ms\n  window_entries: ").append(options.windowEntries())
                .append('\n');
        y.append("raft:\n  election_timeout_min: 1s\n  election_timeout_max: 2s\n");
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE_NAME);
        Files.writeString(file, y.toString(), StandardCharsets.UTF_8);
        return new TestDeployment(dir, file, admins);
    }

    /** Both sites asynchronous. */
    public static TestDeployment create(Path dir) throws IOException {
        return create(dir, Options.defaults());
    }


    public Path dir() {
        return dir;
    }

    public Path configFile() {
        return configFile;
    }

    public DeploymentConfig config() {
        return config;
    }

    public NodeProcess node(String id) {
        NodeProcess n = nodes.get(id);
        if (n == null) {
            throw new IllegalArgumentException("no node " + id + " in " + nodes.keySet());
        }
        return n;
    }

    /** The nodes of {@code siteId}, in config order. */
    public List<NodeProcess> site(String siteId) {
        return config.site(siteId).nodes().stream().map(n -> node(n.id())).toList();
    }

    public List<NodeProcess> nodes() {
        return List.copyOf(nodes.values());
    }

    /** Starts every node, then waits until each runs its epoch. */
    public TestDeployment startAll() throws IOException {
        return start(nodes());
    }

    /** Starts {@code list} (all spawned first, so their JVMs boot in parallel), then waits until each is up. */
    public TestDeployment start(List<NodeProcess> list) throws IOException {
        for (NodeProcess n : list) {
            n.start();
        }
        for (NodeProcess n : list) {
            n.awaitUp();
        }
        return this;
    }

    /** kill -9 of every node of {@code siteId}. */
    public void kill9(String siteId) throws InterruptedException {
        for (NodeProcess n : site(siteId)) {
            n.kill9();
        }
    }

    /** Deletes the data directory of node {@code id} (which must not be running). */
    public void wipeData(String id) throws IOException {
        if (node(id).isAlive()) {
            throw new IllegalStateException(node(id) + " is running");
        }
        Path data = config.node(id).dataDir();
        if (!Files.exists(data)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(data)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** The last lines of every node's log, for failure messages. */
    public String logTails(int lines) {
        StringBuilder b = new StringBuilder();
        for (NodeProcess n : nodes.values()) {
            b.append("---- ").append(n).append(" (").append(n.logFile()).append(")\n").append(n.logTail(lines))
                    .append('\n');
        }
        return b.toString();
    }

    @Override
    public void close() {
        for (NodeProcess n : nodes.values()) {
            try {
                n.kill9();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
