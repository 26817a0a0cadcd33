package dev.picsou.mirror.server.cli;

import dev.picsou.mirror.config.DeploymentConfig;
import dev.picsou.mirror.server.ops.SiteOperations;

import java.util.Map;
import java.util.function.Consumer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code picsou failover --to SITE}. */
@Command(name = "failover", mixinStandardHelpOptions = true,
        description = "Unplanned failover: promote the mirror at its watermark M in epoch+1, record the fork point "
                + "(epoch+1, M) and fence the old epoch. Entries the old primary took after M are lost to the new "
                + "primary; 'picsou rejoin' exports them when the old primary returns.")
final class FailoverCommand extends OperatorCommand {
    @Option(names = "--to", paramLabel = "SITE", required = true, description = "The mirror site to promote.")
    String to;

    @Override
    Map<String, Object> execute(DeploymentConfig config, Consumer<String> progress) throws Exception {
        return new SiteOperations(config, progress).failover(to);
    }
}
