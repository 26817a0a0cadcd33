package dev.picsou.mirror.server.drill;

import dev.picsou.mirror.server.app.KvClient;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.ratis.client.RaftClient;

/**
 * A write load whose every write has its own key ({@code <prefix>-<i>}) and a value derived from the key, recording
 * which writes the primary acknowledged — the ground truth for counting lost acknowledged writes (RPO). Runs on its
 * own thread until {@link #stop()}; at most {@code inFlight} writes are outstanding.
 */
final class DrillLoad {
    private final String prefix;
    private final RaftClient client;
    private final Semaphore window;
    private final BitSet acked = new BitSet();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final int valueBytes;
    private volatile boolean stopping;
    private Thread thread;

    DrillLoad(String prefix, RaftClient client, int inFlight, int valueBytes) {
        this.prefix = prefix;
        this.client = client;
        this.window = new Semaphore(inFlight);
        this.valueBytes = valueBytes;
    }

    static byte[] key(String prefix, long i) {
        return (prefix + "-" + i).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] value(byte[] key, int bytes) {
        byte[] v = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            v[i] = (byte) ('a' + (key[i % key.length] + i) % 26);
        }
        return v;
    }

    DrillLoad start() {
        KvClient kv = KvClient.wrap(client);
        thread = new Thread(() -> {
            long i = 0;
            while (!stopping) {
                try {
                    if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                } catch (InterruptedException e) {
                    return;
                }
                long n = i++;
                byte[] k = key(prefix, n);
                sent.incrementAndGet();
                kv.putAsync(k, value(k, valueBytes)).whenComplete((index, error) -> {
                    if (error == null) {
                        synchronized (acked) {
                            acked.set(Math.toIntExact(n));
                        }
                    } else {
                        failed.incrementAndGet();
                    }
                    window.release();
                });
            }
        }, "drill-load-" + prefix);
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Stops issuing writes; outstanding ones complete (or fail) on their own. */
    void stop() throws InterruptedException {
        stopping = true;
        thread.join();
    }

    long sent() {
        return sent.get();
    }

    long ackedCount() {
        synchronized (acked) {
            return acked.cardinality();
        }
    }

    /** The indices of every acknowledged write so far. */
    List<Long> ackedIndices() {
        synchronized (acked) {
            List<Long> out = new ArrayList<>(acked.cardinality());
            acked.stream().forEach(i -> out.add((long) i));
            return out;
        }
    }

    String prefix() {
        return prefix;
    }

    int valueBytes() {
        return valueBytes;
    }

    /** Whether {@code value} is what write {@code i} wrote. */
    boolean isValueOf(long i, byte[] value) {
        byte[] k = key(prefix, i);
        return Arrays.equals(value(k, valueBytes), value);
    }
}
