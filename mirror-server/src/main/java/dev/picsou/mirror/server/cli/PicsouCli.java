package dev.picsou.mirror.server.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code picsou} command line: one subcommand class per verb. Exit codes: 0 success, 1 the command ran but
 * found a problem (e.g. a simulation with violations) or refused, 2 bad options, 3 a node the command needs is
 * unreachable, 4 an invalid config file.
 */
@Command(name = "picsou",
        mixinStandardHelpOptions = true,
        version = "picsou 0.1.0",
        description = "Picsou Mirror: cross-datacenter disaster recovery for Apache Ratis over the Picsou channel.",
        subcommands = {DemoCommand.class, SimulateCommand.class, BenchCommand.class, MicrobenchCommand.class,
                ConfigCommand.class, NodeCommand.class, StatusCommand.class, KvCli.class, SwitchoverCommand.class,
                FailoverCommand.class, RejoinCommand.class, SnapshotCommand.class, RestoreCommand.class,
                VerifyCommand.class, DrillCommand.class, CommandLine.HelpCommand.class})
public final class PicsouCli implements Runnable {
    /** Exit code: the command ran and found nothing wrong. */
    public static final int EXIT_OK = 0;
    /** Exit code: the command ran but its result is bad (violations, undelivered entries, ...). */
    public static final int EXIT_FAILED = 1;
    /** Exit code: the options were wrong; nothing ran. */
    public static final int EXIT_USAGE = 2;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command, e.g. 'demo' or 'simulate'");
    }

    /** A configured command line; tests call this with their own {@code setOut}/{@code setErr}. */
    public static CommandLine newCommandLine() {
        CommandLine cli = new CommandLine(new PicsouCli());
        cli.setParameterExceptionHandler(PicsouCli::onBadOptions);
        return cli;
    }

    public static void main(String[] args) {
        // With fewer than 3 CPUs the common pool has parallelism 1 and CompletableFuture.*Async (which Ratis uses on
        // every append) falls back to a new thread per task; set before anything touches the pool.
        if (System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism") == null) {
            System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism", "4");
        }
        System.exit(newCommandLine().execute(args));
    }

    /** One line naming the command and the problem, then where to find help; exit code 2. */
    private static int onBadOptions(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        err.println(name + ": " + e.getMessage());
        err.println("Try '" + name + " --help' for more information.");
        err.flush();
        return EXIT_USAGE;
    }
}
