package dev.picsou.mirror.server.cli;

import dev.picsou.mirror.config.DeploymentConfig;
import dev.picsou.mirror.server.ops.DataOperations;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code picsou restore --snapshot DIR --site SITE}. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Bootstrap SITE as a new primary from a mirror snapshot (at the snapshot's seq, in a new epoch); "
                + "the other site then follows it from that seq. The snapshot directory must be readable by the "
                + "nodes of SITE at the same path.")
final class RestoreCommand extends OperatorCommand {
    @Option(names = "--snapshot", paramLabel = "DIR", required = true, description = "A snapshot directory.")
    Path snapshot;

    @Option(names = "--site", paramLabel = "SITE", required = true, description = "The site to restore.")
    String site;

    @Override
    Map<String, Object> execute(DeploymentConfig config, Consumer<String> progress) throws Exception {
        return new DataOperations(config, progress).restore(snapshot, site);
    }
}
