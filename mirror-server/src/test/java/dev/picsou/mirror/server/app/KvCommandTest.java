package dev.picsou.mirror.server.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.picsou.mirror.storage.MirrorStore;
import dev.picsou.mirror.storage.StoreBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvCommandTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void encodesPutExactlyAsTheJavadocExampleSays() {
        byte[] bytes = new KvCommand.Put(utf8("ab"), new byte[] {7}).encode();
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("0101" + "00000002" + "6162" + "00000001" + "07");
        assertThat(HexFormat.of().formatHex(KvCommand.delete("ab").encode())).isEqualTo("0102000000026162");
    }

    @Test
    void roundTripsEveryKindOfCommand() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 500; i++) {
            byte[] key = new byte[1 + random.nextInt(64)];
            random.nextBytes(key);
            byte[] value = new byte[random.nextInt(300)];
            random.nextBytes(value);
            KvCommand command = switch (i % 3) {
                case 0 -> new KvCommand.Put(key, value);
                case 1 -> new KvCommand.Delete(key);
                default -> new KvCommand.Get(key);
            };
            assertThat(KvCommand.decode(command.encode())).isEqualTo(command);
        }
    }

    @Test
    void roundTripsLimitSizes() {
        KvCommand big = new KvCommand.Put(new byte[KvCommand.MAX_KEY_BYTES], new byte[KvCommand.MAX_VALUE_BYTES]);
        assertThat(KvCommand.decode(big.encode())).isEqualTo(big);
        KvCommand emptyValue = new KvCommand.Put(new byte[] {1}, new byte[0]);
        assertThat(KvCommand.decode(emptyValue.encode())).isEqualTo(emptyValue);
    }

    @Test
    void refusesAnUnknownVersion() {
        byte[] bytes = KvCommand.put("k", new byte[] {1}).encode();
        bytes[0] = 9;
        assertThatThrownBy(() -> KvCommand.decode(bytes))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version is 9, expected 1");
    }

    @Test
    void refusesAnUnknownOp() {
        byte[] bytes = KvCommand.delete("k").encode();
        bytes[1] = 4;
        assertThatThrownBy(() -> KvCommand.decode(bytes))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("op is 4");
    }

    @Test
    void refusesEmptyAndTruncatedInput() {
        assertThatThrownBy(() -> KvCommand.decode(new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated at offset 0");
        byte[] put = KvCommand.put("key", new byte[] {1, 2, 3}).encode();
        for (int length = 1; length < put.length; length++) {
            byte[] prefix = Arrays.copyOf(put, length);
            assertThatThrownBy(() -> KvCommand.decode(prefix))
                    .as("prefix of %d bytes", length)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("malformed KvCommand (" + length + " bytes)");
        }
    }

    @Test
    void refusesLengthsOutOfRangeOrBeyondTheEnd() {
        byte[] zeroKey = ByteBuffer.allocate(6).put((byte) 1).put((byte) 2).putInt(0).array();
        assertThatThrownBy(() -> KvCommand.decode(zeroKey))
                .hasMessageContaining("key length at offset 2 is 0, expected 1..");
        byte[] negativeValue = ByteBuffer.allocate(11).put((byte) 1).put((byte) 1).putInt(1).put((byte) 'k')
                .putInt(-5).array();
        assertThatThrownBy(() -> KvCommand.decode(negativeValue))
                .hasMessageContaining("value length at offset 7 is -5");
        byte[] longKey = ByteBuffer.allocate(8).put((byte) 1).put((byte) 2).putInt(10).put(new byte[2]).array();
        assertThatThrownBy(() -> KvCommand.decode(longKey))
                .hasMessageContaining("key length at offset 2 is 10 but only 2 bytes follow");
    }

    @Test
    void refusesTrailingBytes() {
        byte[] ok = KvCommand.delete("k").encode();
        byte[] longer = Arrays.copyOf(ok, ok.length + 3);
        assertThatThrownBy(() -> KvCommand.decode(longer)).hasMessageContaining("3 trailing bytes after the DELETE");
    }

    @Test
    void refusesKeysOutsideTheLimits() {
        assertThatThrownBy(() -> new KvCommand.Delete(new byte[0])).hasMessageContaining("key is 0 bytes");
        assertThatThrownBy(() -> new KvCommand.Put(new byte[1], new byte[KvCommand.MAX_VALUE_BYTES + 1]))
                .hasMessageContaining("above the maximum");
    }

    @Test
    void getRepliesRoundTrip() {
        assertThat(KvCommand.decodeGetReply(KvCommand.encodeGetReply(Optional.empty()))).isEmpty();
        assertThat(KvCommand.decodeGetReply(KvCommand.encodeGetReply(Optional.of(utf8("v")))))
                .hasValueSatisfying(v -> assertThat(v).isEqualTo(utf8("v")));
        assertThat(KvCommand.decodeGetReply(KvCommand.encodeGetReply(Optional.of(new byte[0]))))
                .hasValueSatisfying(v -> assertThat(v).isEmpty());
        assertThatThrownBy(() -> KvCommand.decodeGetReply(new byte[] {2})).hasMessageContaining("presence byte 2");
        assertThatThrownBy(() -> KvCommand.decodeGetReply(new byte[0])).hasMessageContaining("empty");
    }

    @Test
    void appliesPutsAndDeletesToABatchAndRefusesGets(@TempDir Path dir) {
        try (MirrorStore store = MirrorStore.open(dir.resolve("store"))) {
            StoreBatch batch = store.newBatch();
            KvCommand.applyTo(KvCommand.put("a", utf8("1")).encode(), batch);
            KvCommand.applyTo(KvCommand.put("b", utf8("2")).encode(), batch);
            KvCommand.applyTo(KvCommand.delete("a").encode(), batch);
            assertThatThrownBy(() -> KvCommand.applyTo(KvCommand.get("b").encode(), batch))
                    .hasMessageContaining("GET is a query");
            assertThatThrownBy(() -> KvCommand.applyTo(new byte[] {1}, batch))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(batch.size()).isEqualTo(3);
            batch.commit();
            assertThat(store.kv().get(utf8("a"))).isEmpty();
            assertThat(store.kv().get(utf8("b"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(utf8("2")));
        }
    }

    @Test
    void twoStoresFedTheSamePayloadsHaveEqualDigests(@TempDir Path dir) {
        try (MirrorStore primary = MirrorStore.open(dir.resolve("p"));
             MirrorStore mirror = MirrorStore.open(dir.resolve("m"))) {
            LoadGenerator.Settings settings = LoadGenerator.Settings.forCount(300).withDeleteFraction(0.3)
                    .withKeySpace(50);
            for (int i = 0; i < 300; i++) {
                byte[] payload = LoadGenerator.commandAt(settings, i).encode();
                StoreBatch a = primary.newBatch();
                KvCommand.applyTo(payload, a);
                a.commit();
                StoreBatch b = mirror.newBatch();
                KvCommand.applyTo(payload, b);
                b.commit();
            }
            assertThat(primary.kv().digest().sameStateAs(mirror.kv().digest())).isTrue();
        }
    }
}
