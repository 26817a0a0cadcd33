package dev.picsou.mirror.server.node;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * {@code <data>/node.json}: the {@link NodeState} of one node.
 *
 * <p>Crash story: {@link #write} writes a temporary file, fsyncs it, renames it over the old one atomically and fsyncs
 * the directory. A kill -9 at any point leaves either the old state or the new one, never a torn file; a stale
 * temporary file is ignored and overwritten.
 */
public final class NodeStateFile {
    static final String NAME = "node.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path file;

    public NodeStateFile(Path dataDir) {
        this.file = dataDir.resolve(NAME);
    }

    public Path path() {
        return file;
    }

    /**
     * The stored state, or empty if the node never completed a start.
     *
     * @throws IOException if the file exists but cannot be read or parsed (the message names it)
     */
    public Optional<NodeState> read() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), NodeState.class));
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("cannot read the node state " + file + ": " + e.getMessage(), e);
        }
    }

    /** Replaces the stored state atomically and durably. */
    public void write(NodeState state) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(NAME + ".tmp");
            byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException e) {
                // Some file systems cannot fsync a directory; the rename itself is atomic.
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the node state " + file, e);
        }
    }
}
