package dev.picsou.mirror.server.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Pins this JVM's threads to one CPU with {@code taskset -a -p} (threads created later inherit the mask of their
 * creator, so the whole process stays there), and undoes it.
 */
final class CpuPinning {
    /** CPUs of the machine, read before anything is pinned (the JVM reports the affinity mask's size after). */
    static final int CPUS = Runtime.getRuntime().availableProcessors();

    private CpuPinning() {
    }

    /** Whether {@code taskset} is on the PATH and the machine has at least two CPUs. */
    static boolean available() {
        if (CPUS < 2) {
            return false;
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "taskset"))) {
                return true;
            }
        }
        return false;
    }

    static void pinThisProcess(int cpu) {
        taskset(Integer.toString(cpu));
    }

    static void unpinThisProcess() {
        taskset("0-" + (CPUS - 1));
    }

    private static void taskset(String cpus) {
        try {
            Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus,
                    Long.toString(ProcessHandle.current().pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("taskset -a -p -c " + cpus + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run taskset", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running taskset", e);
        }
    }
}
