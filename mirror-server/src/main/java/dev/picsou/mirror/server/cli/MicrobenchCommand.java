package dev.picsou.mirror.server.cli;

import dev.picsou.mirror.server.bench.jmh.JmhMain;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code picsou microbench}: the JMH micro-benchmarks of the codec and the pure core. */
@Command(name = "microbench", mixinStandardHelpOptions = true,
        description = {"Run the JMH micro-benchmarks (package dev.picsou.mirror.server.bench.jmh): CodecBenchmark "
                + "(frames encoded and decoded, entries/s) and CoreBenchmark (entries/s through n Picsou senders "
                + "and n receivers with no I/O). Arguments go to JMH as they are (e.g. 'CoreBenchmark -p "
                + "replicas=5 -f 1 -wi 2 -i 3', or '-lp' to list the parameters); without a benchmark pattern, "
                + "all of them run."})
public final class MicrobenchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    /** Everything after {@code microbench}, in order, for JMH. */
    @Unmatched
    private List<String> jmhArgs = new ArrayList<>();

    @Override
    public Integer call() {
        List<String> args = new ArrayList<>(jmhArgs);
        boolean pattern = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("-")) {
                i += takesValue(a) ? 1 : 0;
            } else {
                pattern = true;
                args.set(i, a.contains(".") ? a : JmhMain.INCLUDE.replace("\\..*", "\\.") + a);
            }
        }
        if (!pattern) {
            args.add(JmhMain.INCLUDE);
        }
        try {
            new Runner(new CommandLineOptions(args.toArray(String[]::new))).run();
            return PicsouCli.EXIT_OK;
        } catch (CommandLineOptionException e) {
            throw new ParameterException(spec.commandLine(), "JMH: " + e.getMessage());
        } catch (RunnerException e) {
            spec.commandLine().getErr().println("microbench: " + e.getMessage());
            return PicsouCli.EXIT_FAILED;
        }
    }

    /** JMH options that take a value (so their value is not read as a benchmark pattern). */
    private static boolean takesValue(String option) {
        return switch (option) {
            case "-bm", "-bs", "-e", "-f", "-foe", "-gc", "-i", "-jvm", "-jvmArgs", "-jvmArgsAppend",
                 "-jvmArgsPrepend", "-o", "-opi", "-p", "-prof", "-r", "-rf", "-rff", "-si", "-t", "-tg", "-tu",
                 "-to", "-v", "-w", "-wbs", "-wf", "-wi", "-wm" -> true;
            default -> false;
        };
    }
}
