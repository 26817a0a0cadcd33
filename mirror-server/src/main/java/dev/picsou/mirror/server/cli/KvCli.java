package dev.picsou.mirror.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.picsou.mirror.config.DeploymentConfig;
import dev.picsou.mirror.config.NodeConfig;
import dev.picsou.mirror.config.SiteConfig;
import dev.picsou.mirror.server.app.KvClient;
import dev.picsou.mirror.server.app.LoadGenerator;
import dev.picsou.mirror.server.node.NodeClient;
import dev.picsou.mirror.server.ops.DeploymentView;
import dev.picsou.mirror.server.ops.KvAccess;
import dev.picsou.mirror.server.ops.OperationException;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.ratis.client.RaftClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

/** {@code picsou kv put|get|delete|load}: the reference KV application against a running deployment. */
@Command(name = "kv", mixinStandardHelpOptions = true,
        description = "Read and write the reference KV application: writes go to the current primary site.",
        subcommands = {KvCli.Put.class, KvCli.Get.class, KvCli.Delete.class, KvCli.Load.class})
final class KvCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: put, get, delete or load");
    }

    /** {@code kv put KEY VALUE}. */
    @Command(name = "put", mixinStandardHelpOptions = true, description = "Write KEY=VALUE on the primary.")
    static final class Put extends OperatorCommand {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;
        @Parameters(index = "1", paramLabel = "VALUE")
        String value;

        @Override
        Map<String, Object> execute(DeploymentConfig config, Consumer<String> progress) throws Exception {
            try (RaftClient client = KvAccess.primaryClient(config)) {
                long index = KvClient.wrap(client).put(bytes(key), bytes(value));
                return Map.of("ok", true, "key", key, "raft_index", index);
            } catch (IOException e) {
                throw new OperationException("put " + key + " failed: " + e.getMessage(), OperationException.FAILED, e);
            }
        }
    }

    /** {@code kv delete KEY}. */
    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete KEY on the primary.")
    static final class Delete extends OperatorCommand {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Override
        Map<String, Object> execute(DeploymentConfig config, Consumer<String> progress) throws Exception {
            try (RaftClient client = KvAccess.primaryClient(config)) {
                long index = KvClient.wrap(client).delete(bytes(key));
                return Map.of("ok", true, "key", key, "raft_index", index);
            } catch (IOException e) {
                throw new OperationException("delete " + key + " failed: " + e.getMessage(), OperationException.FAILED,
                        e);
            }
        }
    }

    /** {@code kv get KEY [--site S] [--node N]}: a node's local (possibly stale) value. */
    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Read KEY from one node's local state (default: a node of the primary site).")
    static final class Get extends OperatorCommand {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;
        @Option(names = "--site", paramLabel = "SITE", description = "Read on this site (e.g. the mirror).")
        String site;
        @Option(names = "--node", paramLabel = "ID", description = "Read on this node.")
        String node;

        @Override
        Map<String, Object> execute(DeploymentConfig config, Consumer<String> progress) throws Exception {
            NodeConfig target = pick(config);
            try {
                JsonNode r = NodeClient.get(target, "/kv?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8),
                        Duration.ofSeconds(10));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("node", target.id());
                r.properties().forEach(e -> m.put(e.getKey(), e.getValue()));
                return m;
            } catch (NodeClient.NodeUnreachableException e) {
                throw new OperationException(e.getMessage(), OperationException.UNREACHABLE, e);
            } catch (IOException e) {
                throw new OperationException(e.getMessage(), OperationException.FAILED, e);
            }
        }

        private NodeConfig pick(DeploymentConfig config) throws OperationException {
            if (node != null) {
                try {
                    return config.node(node);
                } catch (IllegalArgumentException e) {
                    throw new OperationException(e.getMessage(), OperationException.FAILED);
                }
            }
            DeploymentView view = DeploymentView.read(config);
            SiteConfig s;
            if (site != null) {
                s = config.findSite(site).orElseThrow(() -> new OperationException("no site '" + site + "'",
                        OperationException.FAILED));
            } else {
                s = view.primary().orElseThrow(() -> new OperationException("no primary site answers",
                        OperationException.UNREACHABLE));
            }
            return view.reachable(s.id()).stream().findFirst().orElseThrow(() -> new OperationException(
                    "no node of site " + s.id() + " answers", OperationException.UNREACHABLE));
        }

        @Override
        boolean succeeded(Map<String, Object> result) {
            return !(result.get("found") instanceof JsonNode f) || f.asBoolean();
        }

        @Override
        void printHuman(java.io.PrintWriter out, Map<String, Object> result) {
            JsonNode found = (JsonNode) result.get("found");
            out.println(found != null && found.asBoolean() ? ((JsonNode) result.get("value")).asText()
                    : "(not found on " + result.get("node") + ")");
        }
    }

    /** {@code kv load --count N | --duration S}. */
    @Command(name = "load", mixinStandardHelpOptions = true, description = "Write a load to the primary.")
    static final class Load extends OperatorCommand {
        @Option(names = "--count", paramLabel = "N", description = "Number of writes.")
        Long count;
        @Option(names = "--duration", paramLabel = "SECONDS", description = "Write for this long.")
        Integer seconds;
        @Option(names = "--value-bytes", paramLabel = "B", defaultValue = "100", description = "Value size.")
        int valueBytes;
        @Option(names = "--in-flight", paramLabel = "N", defaultValue = "100", description = "Writes in flight.")
        int inFlight;

        @Override
        Map<String, Object> execute(DeploymentConfig config, Consumer<String> progress) throws Exception {
            if ((count == null) == (seconds == null)) {
                throw new ParameterException(spec.commandLine(), "give exactly one of --count or --duration");
            }
            LoadGenerator.Settings settings = (count != null ? LoadGenerator.Settings.forCount(count)
                    : LoadGenerator.Settings.forDuration(Duration.ofSeconds(seconds)))
                    .withValueBytes(valueBytes).withMaxInFlight(inFlight).withSeed(System.nanoTime());
            try (RaftClient client = KvAccess.primaryClient(config)) {
                LoadGenerator load = new LoadGenerator(client, settings).start();
                LoadGenerator.Result r;
                while (true) {
                    try {
                        r = load.awaitCompletion(Duration.ofSeconds(2));
                        break;
                    } catch (java.util.concurrent.TimeoutException e) {
                        progress.accept(load.progressLine());
                    }
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("ok", r.failed() == 0);
                m.put("sent", r.sent());
                m.put("acked", r.acked());
                m.put("failed", r.failed());
                m.put("ops_per_s", Math.round(r.opsPerSecond() * 10) / 10.0);
                m.put("latency_p50_ms", r.latencyMicrosAt(50) / 1000.0);
                m.put("latency_p99_ms", r.latencyMicrosAt(99) / 1000.0);
                return m;
            }
        }

        @Override
        boolean succeeded(Map<String, Object> result) {
            return Boolean.TRUE.equals(result.get("ok"));
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
