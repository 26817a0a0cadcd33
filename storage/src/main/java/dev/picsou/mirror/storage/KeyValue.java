package dev.picsou.mirror.storage;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One pair of the {@code kv} column family. The arrays are not copied; callers must not mutate them.
 *
 * @param key   key bytes
 * @param value value bytes
 */
public record KeyValue(byte[] key, byte[] value) {

    public KeyValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyValue kv && Arrays.equals(key, kv.key) && Arrays.equals(value, kv.value);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "KeyValue[key=0x" + HexFormat.of().formatHex(key) + ", value=" + value.length + " bytes]";
    }
}
