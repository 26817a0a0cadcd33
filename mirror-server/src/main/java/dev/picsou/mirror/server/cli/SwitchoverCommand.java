package dev.picsou.mirror.server.cli;

import dev.picsou.mirror.config.DeploymentConfig;
import dev.picsou.mirror.server.ops.SiteOperations;

import java.util.Map;
import java.util.function.Consumer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code picsou switchover --to SITE}. */
@Command(name = "switchover", mixinStandardHelpOptions = true,
        description = "Planned switchover: seal the primary, drain until the mirror's QUACK covers its last seq, "
                + "promote the mirror at epoch+1 and make the old primary its mirror. No entry is lost.")
final class SwitchoverCommand extends OperatorCommand {
    @Option(names = "--to", paramLabel = "SITE", required = true, description = "The mirror site to promote.")
    String to;

    @Override
    Map<String, Object> execute(DeploymentConfig config, Consumer<String> progress) throws Exception {
        return new SiteOperations(config, progress).switchover(to);
    }
}
