package dev.picsou.mirror.server.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time the whole machine spent busy, from {@code /proc/stat} (Linux), to tell how much of it went to other
 * processes while a scenario ran: figures from a shared machine are noise, and the results say so.
 */
final class MachineLoad {
    private static final Path STAT = Path.of("/proc/stat");
    /** Clock ticks per second of /proc/stat (USER_HZ, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100;

    private MachineLoad() {
    }

    /** Busy CPU time of all CPUs since boot, nanoseconds; -1 when unknown. */
    static long busyNanos() {
        try {
            for (String line : Files.readAllLines(STAT)) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    long busy = 0;
                    // user nice system idle iowait irq softirq steal: idle (4) and iowait (5) are not busy
                    for (int i = 1; i < Math.min(f.length, 9); i++) {
                        if (i != 4 && i != 5) {
                            busy += Long.parseLong(f[i]);
                        }
                    }
                    return (long) (busy / TICKS_PER_SECOND * 1e9);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
