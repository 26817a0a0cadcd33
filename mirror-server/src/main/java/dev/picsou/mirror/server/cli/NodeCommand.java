package dev.picsou.mirror.server.cli;

import dev.picsou.mirror.config.ConfigException;
import dev.picsou.mirror.config.ConfigLoader;
import dev.picsou.mirror.config.DeploymentConfig;
import dev.picsou.mirror.config.NodeConfig;
import dev.picsou.mirror.server.admin.AdminHttpServer;
import dev.picsou.mirror.server.node.MirrorNode;
import dev.picsou.mirror.server.node.NodeRoutes;
import dev.picsou.mirror.server.site.SiteLogging;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code picsou node start --config F --node ID}: one node of either site, in this process. */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Run a node.",
        subcommands = {NodeCommand.Start.class})
final class NodeCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: start");
    }

    /** Runs until SIGTERM/SIGINT, then stops the Raft server, the link and the admin endpoint in order. */
    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start node ID of the deployment in FILE: its Raft server in the site's current epoch and "
                    + "role, the Picsou link, and the admin endpoint (/status, /metrics, /health, /). Runs until "
                    + "SIGTERM.")
    static final class Start implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = {"-c", "--config"}, paramLabel = "FILE", required = true, description = "The deployment.")
        Path configFile;

        @Option(names = "--node", paramLabel = "ID", required = true, description = "This node's id.")
        String nodeId;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            DeploymentConfig config;
            try {
                config = ConfigLoader.load(configFile);
            } catch (ConfigException e) {
                err.println("picsou node start: invalid config:\n" + e.getMessage());
                err.flush();
                return OperatorCommand.EXIT_BAD_CONFIG;
            }
            NodeConfig node;
            try {
                node = config.node(nodeId);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            SiteLogging.quietLibraries();
            MirrorNode mirrorNode = new MirrorNode(config, nodeId);
            AdminHttpServer admin;
            try {
                mirrorNode.start();
                admin = AdminHttpServer.start(node.admin().toSocketAddress(), mirrorNode.metrics(),
                        new NodeRoutes(mirrorNode).routes());
            } catch (Exception e) {
                mirrorNode.close();
                err.println("picsou node start: node " + nodeId + " could not start: " + e.getMessage());
                err.flush();
                return PicsouCli.EXIT_FAILED;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                admin.close();
                mirrorNode.close();
                stopped.countDown();
            }, "shutdown-" + nodeId));
            PrintWriter out = spec.commandLine().getOut();
            out.println("node " + nodeId + " of site " + config.siteOfNode(nodeId).id() + " up: "
                    + mirrorNode.awaiting().map(reason -> "IDLE, " + reason)
                            .orElse("epoch " + mirrorNode.state().epoch() + ", " + mirrorNode.state().role())
                    + ", admin http://" + node.admin());
            out.flush();
            stopped.await();
            return PicsouCli.EXIT_OK;
        }
    }
}
