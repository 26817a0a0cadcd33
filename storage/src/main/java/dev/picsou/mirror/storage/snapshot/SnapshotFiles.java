package dev.picsou.mirror.storage.snapshot;

import dev.picsou.mirror.storage.Directories;
import dev.picsou.mirror.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** File plumbing of snapshots: hashing, fsync, atomic replacement, listing. Linux/macOS semantics. */
final class SnapshotFiles {

    private SnapshotFiles() {
    }

    /**
     * True for files of a snapshot directory that are not part of the checkpoint: the manifest itself and
     * RocksDB's informational logs ({@code LOG}, {@code LOG.old.*}), which a read-only open may create.
     */
    static boolean isIgnored(String name) {
        return name.equals(SnapshotManifest.FILE_NAME) || name.equals("LOG") || name.startsWith("LOG.old.");
    }

    /** Regular files directly in {@code dir} that belong to the checkpoint, sorted by name. */
    static List<String> checkpointFiles(Path dir, String operation) {
        try (Stream<Path> listing = Files.list(dir)) {
            List<String> names = new ArrayList<>();
            for (Path p : (Iterable<Path>) listing::iterator) {
                String name = p.getFileName().toString();
                if (isIgnored(name)) {
                    continue;
                }
                if (!Files.isRegularFile(p)) {
                    throw new StorageException(operation, "unexpected non-file " + p + " in snapshot directory");
                }
                names.add(name);
            }
            names.sort(null);
            return names;
        } catch (IOException e) {
            throw new StorageException(operation, "cannot list " + dir + ": " + e, e);
        }
    }

    /** SHA-256 of a file in lowercase hex. */
    static String sha256(Path file) throws IOException {
        MessageDigest sha = newSha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Copies {@code source} to the new file {@code target}, fsyncs it, and returns the SHA-256 of what it copied. */
    static String copyAndHash(Path source, Path target) throws IOException {
        MessageDigest sha = newSha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(source), sha);
             FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            in.transferTo(Channels.newOutputStream(out));
            out.force(true);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(newSha256().digest(bytes));
    }

    /** Fsyncs a file or a directory (so that a rename or a new entry in it is durable). */
    static void fsync(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Writes {@code bytes} to {@code dir/name} atomically: temp file, fsync, rename, fsync of the directory. */
    static void writeAtomically(Path dir, String name, byte[] bytes) throws IOException {
        Path temp = dir.resolve(name + ".tmp");
        Files.deleteIfExists(temp);
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap(bytes));
            out.force(true);
        }
        Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsync(dir);
    }

    /** Renames a directory atomically and makes the rename durable. */
    static void renameDirectory(Path from, Path to) throws IOException {
        fsync(from);
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        fsync(to.getParent());
    }

    static void deleteRecursively(Path path) throws IOException {
        Directories.deleteRecursively(path);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
