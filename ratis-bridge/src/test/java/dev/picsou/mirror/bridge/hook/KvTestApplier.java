package dev.picsou.mirror.bridge.hook;

import dev.picsou.mirror.storage.StoreBatch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link PayloadApplier} for tests: payloads are {@code key=value} in UTF-8 and become a KV put; it records every
 * payload it applied, in order, to check exactly-once and seq order.
 */
final class KvTestApplier implements PayloadApplier {
    private final List<String> applied = new ArrayList<>();

    @Override
    public void apply(byte[] payload, StoreBatch batch) {
        String s = new String(payload, StandardCharsets.UTF_8);
        int eq = s.indexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException("not key=value: " + s);
        }
        batch.putKv(s.substring(0, eq).getBytes(StandardCharsets.UTF_8),
                s.substring(eq + 1).getBytes(StandardCharsets.UTF_8));
        synchronized (this) {
            applied.add(s);
        }
    }

    synchronized List<String> applied() {
        return List.copyOf(applied);
    }

    synchronized int count() {
        return applied.size();
    }

    static byte[] payload(String key, String value) {
        return (key + "=" + value).getBytes(StandardCharsets.UTF_8);
    }
}
