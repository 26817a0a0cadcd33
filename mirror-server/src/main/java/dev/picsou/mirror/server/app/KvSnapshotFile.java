package dev.picsou.mirror.server.app;

import dev.picsou.mirror.storage.KeyValue;
import dev.picsou.mirror.storage.StateStore;
import dev.picsou.mirror.storage.StoreBatch;
import dev.picsou.mirror.storage.StoreCursor;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The snapshot file of {@link KvStateMachine}: every pair of the {@code kv} column family plus the Raft term and
 * index the pairs reflect. It lives in the Ratis state-machine directory under the name
 * {@code snapshot.<term>_<index>} that {@code SimpleStateMachineStorage} looks for, so Ratis finds it after a
 * restart and ships it to lagging followers (chunk-mode install).
 *
 * <h2>Layout, version 1</h2>
 * Big-endian:
 * <pre>
 * offset  size  field
 *      0     4  magic "PKVS"
 *      4     1  version = 0x01
 *      5     8  term
 *     13     8  index
 *     21        n pairs, in ascending key order, each: int32 k (>= 1) | key | int32 v (>= 0) | value
 *        4      end marker: int32 0 (a key length no pair has)
 *        8      n = pair count
 *        4      CRC32C of every byte before it
 * </pre>
 *
 * <h2>Crash story</h2>
 * {@link #write} writes {@code <name>.tmp}, fsyncs it, renames it atomically to its final name and fsyncs the
 * directory: after a crash the final name holds either nothing or the whole file. A leftover {@code .tmp} does not
 * match Ratis's snapshot pattern and is deleted by the state machine on start.
 */
public final class KvSnapshotFile {

    /** The version {@link #write} produces and the only one {@link #load} reads. */
    public static final byte VERSION = 1;
    /** Suffix of a snapshot file still being written. */
    public static final String TMP_SUFFIX = ".tmp";

    private static final int MAGIC = 0x504B5653; // "PKVS"
    private static final int BUFFER_BYTES = 1 << 16;

    private KvSnapshotFile() {
    }

    /** What a snapshot file said about itself. */
    public record Header(long term, long index, long pairCount) {
    }

    /**
     * Writes every pair of {@code state} into {@code target}, through a fsynced temporary file and an atomic rename.
     * The caller keeps {@code state} unchanged meanwhile (on the Ratis apply thread nothing else writes).
     *
     * @return the number of pairs written
     * @throws IOException if a write, the fsync or the rename failed; {@code target} is then untouched
     */
    public static long write(Path target, long term, long index, StateStore state) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + TMP_SUFFIX);
        long pairs = 0;
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            OutputStream raw = Channels.newOutputStream(channel);
            CRC32C crc = new CRC32C();
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                    new CheckedOutputStream(raw, crc), BUFFER_BYTES));
            out.writeInt(MAGIC);
            out.writeByte(VERSION);
            out.writeLong(term);
            out.writeLong(index);
            try (StoreCursor<KeyValue> cursor = state.cursor()) {
                while (cursor.hasNext()) {
                    KeyValue kv = cursor.next();
                    out.writeInt(kv.key().length);
                    out.write(kv.key());
                    out.writeInt(kv.value().length);
                    out.write(kv.value());
                    pairs++;
                }
            }
            out.writeInt(0);
            out.writeLong(pairs);
            out.flush();
            new DataOutputStream(raw).writeInt((int) crc.getValue());
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        fsyncDirectory(target.toAbsolutePath().getParent());
        return pairs;
    }

    /**
     * Reads {@code file} into {@code batch}: one {@code putKv} per pair. The caller commits the batch only if
     * this returns, so a damaged file changes nothing.
     *
     * @throws IOException naming the file and the problem (bad magic, version, lengths, count or checksum,
     *                     truncation)
     */
    public static Header load(Path file, StoreBatch batch) throws IOException {
        CRC32C crc = new CRC32C();
        try (InputStream buffered = new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES)) {
            // Only bytes read through `in` reach the CRC; the stored CRC is read from `buffered` directly.
            DataInputStream in = new DataInputStream(new CheckedInputStream(buffered, crc));
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw corrupt(file, "magic is 0x" + Integer.toHexString(magic) + ", expected 0x"
                        + Integer.toHexString(MAGIC));
            }
            byte version = in.readByte();
            if (version != VERSION) {
                throw corrupt(file, "version is " + version + ", this build reads " + VERSION);
            }
            long term = in.readLong();
            long index = in.readLong();
            long pairs = 0;
            for (int keyLength = in.readInt(); keyLength != 0; keyLength = in.readInt()) {
                byte[] key = readBytes(in, file, "key", keyLength, 1, KvCommand.MAX_KEY_BYTES, pairs);
                int valueLength = in.readInt();
                byte[] value = readBytes(in, file, "value", valueLength, 0, KvCommand.MAX_VALUE_BYTES, pairs);
                batch.putKv(key, value);
                pairs++;
            }
            long count = in.readLong();
            if (count != pairs) {
                throw corrupt(file, "trailer says " + count + " pairs, the file holds " + pairs);
            }
            int expected = (int) crc.getValue();
            int stored = new DataInputStream(buffered).readInt();
            if (stored != expected) {
                throw corrupt(file, "CRC32C is " + Integer.toHexString(stored) + ", computed "
                        + Integer.toHexString(expected));
            }
            if (buffered.read() != -1) {
                throw corrupt(file, "bytes follow the checksum");
            }
            return new Header(term, index, pairs);
        } catch (EOFException e) {
            throw corrupt(file, "truncated");
        }
    }

    private static byte[] readBytes(DataInputStream in, Path file, String field, int length, int min, int max,
                                    long pair) throws IOException {
        if (length < min || length > max) {
            throw corrupt(file, field + " length of pair " + pair + " is " + length + ", expected " + min + ".."
                    + max);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    private static IOException corrupt(Path file, String problem) {
        return new IOException("snapshot file " + file + " is damaged: " + problem);
    }

    private static void fsyncDirectory(Path directory) throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open a directory for fsync; the rename is still atomic there.
            if (!Files.isDirectory(directory)) {
                throw e;
            }
        }
    }
}
