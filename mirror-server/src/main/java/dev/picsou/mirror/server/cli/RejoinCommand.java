package dev.picsou.mirror.server.cli;

import dev.picsou.mirror.config.DeploymentConfig;
import dev.picsou.mirror.server.ops.SiteOperations;

import java.util.Map;
import java.util.function.Consumer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code picsou rejoin --site SITE}. */
@Command(name = "rejoin", mixinStandardHelpOptions = true,
        description = "Bring back a site that was failed over from: seal it, write its entries after the fork point "
                + "to a lost-writes file on each node, rewind it to the fork point with the new primary's values of "
                + "the keys they touched (a full copy only when a rewind is impossible) and start it as the new "
                + "primary's mirror.")
final class RejoinCommand extends OperatorCommand {
    @Option(names = "--site", paramLabel = "SITE", required = true, description = "The fenced site.")
    String site;

    @Override
    Map<String, Object> execute(DeploymentConfig config, Consumer<String> progress) throws Exception {
        return new SiteOperations(config, progress).rejoin(site);
    }
}
