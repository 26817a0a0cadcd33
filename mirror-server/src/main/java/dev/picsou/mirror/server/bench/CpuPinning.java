package dev.picsou.mirror.server.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Pins a JVM's threads to one CPU with {@code taskset -a -p} (threads created later inherit the mask of their
 * creator, so the whole process stays there), and undoes it.
 */
final class CpuPinning {
    /** CPUs of the machine, read before anything is pinned (the JVM reports the affinity mask's size after). */
    static final int CPUS = Runtime.getRuntime().availableProcessors();
    private static final int ATTEMPTS = 5;

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

    /** Pins every thread of process {@code pid} to {@code cpu}. */
    static void pin(long pid, int cpu) {
        taskset(pid, Integer.toString(cpu));
    }

    /** Lets every thread of process {@code pid} run on every CPU. */
    static void unpin(long pid) {
        taskset(pid, "0-" + (CPUS - 1));
    }

    /**
     * Runs {@code taskset -a -p -c cpus pid}, a few times if needed: it walks the threads one by one and fails when
     * one exits meanwhile (Ratis starts and ends threads all the time); a second pass sets the ones that remain.
     */
    private static void taskset(long pid, String cpus) {
        for (int attempt = 1; ; attempt++) {
            try {
                Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(pid))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return;
                }
                if (attempt == ATTEMPTS) {
                    throw new IllegalStateException("taskset -a -p -c " + cpus + " " + pid + " failed " + ATTEMPTS
                            + " times");
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot run taskset", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running taskset", e);
            }
        }
    }
}
