package dev.picsou.mirror.server.cli;

import dev.picsou.mirror.config.DeploymentConfig;
import dev.picsou.mirror.server.ops.DataOperations;

import java.util.Map;
import java.util.function.Consumer;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code picsou snapshot create|list}. */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = "Mirror snapshots: RocksDB checkpoints with a checksummed manifest.",
        subcommands = {SnapshotCommand.Create.class, SnapshotCommand.ListSnapshots.class})
final class SnapshotCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: create or list");
    }

    /** {@code picsou snapshot create --site SITE [--node ID]}. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Take a snapshot of the mirror site on one of its nodes.")
    static final class Create extends OperatorCommand {
        @Option(names = "--site", paramLabel = "SITE", required = true, description = "The mirror site.")
        String site;

        @Option(names = "--node", paramLabel = "ID", description = "The node (default: the first that answers).")
        String node;

        @Override
        Map<String, Object> execute(DeploymentConfig config, Consumer<String> progress) throws Exception {
            return new DataOperations(config, progress).createSnapshot(site, node);
        }
    }

    /** {@code picsou snapshot list --site SITE}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the snapshots of a site's nodes.")
    static final class ListSnapshots extends OperatorCommand {
        @Option(names = "--site", paramLabel = "SITE", required = true, description = "The site.")
        String site;

        @Override
        Map<String, Object> execute(DeploymentConfig config, Consumer<String> progress) throws Exception {
            return new DataOperations(config, progress).listSnapshots(site);
        }
    }
}
