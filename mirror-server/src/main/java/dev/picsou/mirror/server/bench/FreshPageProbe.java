package dev.picsou.mirror.server.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the machine charges for memory used for the first time: every period, the CPU time of writing one byte into
 * each page of a file mapping whose pages were just released (the file truncated to nothing and grown again), per
 * 4 KiB page. Each write faults in a zeroed page that the kernel takes from its free memory, as every page-cache,
 * tmpfs and memtable page a scenario writes does. On a virtual machine that hands freed memory back to its host the
 * cost can swing tenfold (1.6 against 17-24 us a page on the development VM, docs/performance.md), and a scenario
 * that ran while it was high is slower for reasons that are not the software's: each result reports the median
 * over its window.
 *
 * <p>One daemon thread; a sample takes 1-10 ms of one core (2 MiB, 512 pages), every 2 s by default.
 * The file lives in {@code /dev/shm} when it is a writable directory (tmpfs: no disk block allocation in the
 * measure), else in {@code java.io.tmpdir}.
 */
final class FreshPageProbe implements AutoCloseable {
    static final int PAGE_BYTES = 4096;
    static final int PAGES = 512;
    static final long DEFAULT_PERIOD_MILLIS = 2000;

    private final long periodMillis;
    private final Path file;
    private final RandomAccessFile raf;
    private final MappedByteBuffer map;
    private final Thread thread;
    /** {@code (nanoTime, CPU nanoseconds per page)} pairs, in time order. */
    private final List<long[]> samples = new ArrayList<>();
    private volatile boolean closed;

    private FreshPageProbe(Path dir, long periodMillis) throws IOException {
        if (periodMillis <= 0) {
            throw new IllegalArgumentException("periodMillis must be positive, got " + periodMillis);
        }
        this.periodMillis = periodMillis;
        this.file = Files.createTempFile(dir, "picsou-page-probe-", ".bin");
        try {
            this.raf = new RandomAccessFile(file.toFile(), "rw");
            raf.setLength((long) PAGES * PAGE_BYTES);
            this.map = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, (long) PAGES * PAGE_BYTES);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        this.thread = new Thread(this::loop, "picsou-bench-page-probe");
        thread.setDaemon(true);
    }

    /** Starts a probe in {@code /dev/shm} (or the temp directory), sampling every {@code periodMillis}. */
    static FreshPageProbe start(long periodMillis) throws IOException {
        Path shm = Path.of("/dev/shm");
        Path dir = Files.isDirectory(shm) && Files.isWritable(shm) ? shm
                : Path.of(System.getProperty("java.io.tmpdir"));
        return open(dir, periodMillis).begin();
    }

    /** A probe whose file lives in {@code dir}, not sampling until {@link #begin}. */
    static FreshPageProbe open(Path dir, long periodMillis) throws IOException {
        return new FreshPageProbe(dir, periodMillis);
    }

    /** Starts the sampling thread; returns this probe. */
    FreshPageProbe begin() {
        thread.start();
        return this;
    }

    /**
     * One measure: writes a byte into each page of the mapping, after releasing the file's pages (the file
     * truncated to nothing and grown back) when {@code fresh}, so that every write faults a new page in.
     *
     * @return CPU nanoseconds of this thread per page, or -1 when the JVM cannot read thread CPU time
     */
    long touchNanosPerPage(boolean fresh) throws IOException {
        if (fresh) {
            raf.setLength(0);
            raf.setLength((long) PAGES * PAGE_BYTES);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < PAGES; i++) {
            map.put(i * PAGE_BYTES, (byte) 1);
        }
        long end = threads.getCurrentThreadCpuTime();
        return start < 0 || end < 0 ? -1 : (end - start) / PAGES;
    }

    /** Keeps one sample taken at {@code nanoTime}. */
    void record(long nanoTime, long nanosPerPage) {
        synchronized (samples) {
            samples.add(new long[] {nanoTime, nanosPerPage});
        }
    }

    private void loop() {
        while (!closed) {
            try {
                long nanos = touchNanosPerPage(true);
                if (nanos >= 0) {
                    record(System.nanoTime(), nanos);
                }
                TimeUnit.MILLISECONDS.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                return; // no figure rather than a wrong one: the windows' medians are then -1
            }
        }
    }

    /** Median CPU microseconds per fresh page of the samples taken in {@code [fromNanos, toNanos]}; -1 if none. */
    double medianMicros(long fromNanos, long toNanos) {
        List<Long> in = new ArrayList<>();
        synchronized (samples) {
            for (long[] s : samples) {
                if (s[0] - fromNanos >= 0 && toNanos - s[0] >= 0) {
                    in.add(s[1]);
                }
            }
        }
        if (in.isEmpty()) {
            return -1;
        }
        in.sort(null);
        int n = in.size();
        double nanos = n % 2 == 1 ? in.get(n / 2) : (in.get(n / 2 - 1) + in.get(n / 2)) / 2.0;
        return nanos / 1e3;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            raf.close();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover probe file of 2 MiB at most; the mapping goes with the JVM
        }
    }
}
