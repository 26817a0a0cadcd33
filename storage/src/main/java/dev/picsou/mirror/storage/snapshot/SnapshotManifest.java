package dev.picsou.mirror.storage.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.picsou.mirror.storage.HookMetadata;
import dev.picsou.mirror.storage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@value #FILE_NAME} of a snapshot directory: where the snapshot stands in the stream and a SHA-256 of every
 * file of the RocksDB checkpoint beside it, plus a SHA-256 of the manifest itself.
 *
 * <pre>{@code
 * {
 *   "manifestVersion" : 1,
 *   "siteId" : "dc-west",
 *   "formatVersion" : 1,
 *   "role" : "MIRROR",
 *   "epoch" : 2,
 *   "seq" : 1200,
 *   "raftTerm" : 4,
 *   "raftIndex" : 3311,
 *   "createdAt" : "2025-01-02T03:04:05Z",
 *   "files" : [ { "name" : "000009.sst", "size" : 1187, "sha256" : "5f0c…" }, … ],
 *   "manifestSha256" : "9a1e…"
 * }
 * }</pre>
 * {@code manifestSha256} is the SHA-256 of the compact JSON of every other field, in the order above; {@code seq},
 * {@code epoch}, {@code raftTerm} and {@code raftIndex} come from the {@link HookMetadata} inside the checkpoint
 * ({@code seq} is {@link HookMetadata#stateSeq()}; term and index are the last applied entry of the site's own
 * Raft log). File names are flat (no directories). Immutable.
 *
 * @param manifestVersion version of this manifest layout ({@value #MANIFEST_VERSION})
 * @param siteId          the site that took the snapshot
 * @param formatVersion   the store format version of the checkpoint
 * @param role            role of the site when the snapshot was taken
 * @param epoch           epoch in the checkpoint's metadata
 * @param seq             the seq the checkpoint's state reflects
 * @param raftTerm        last applied Raft term in the checkpoint
 * @param raftIndex       last applied Raft index in the checkpoint
 * @param createdAt       creation time, as given by the caller
 * @param files           every checkpoint file, sorted by name
 * @param manifestSha256  SHA-256 of the other fields, lowercase hex
 */
public record SnapshotManifest(int manifestVersion, String siteId, int formatVersion, HookMetadata.Role role,
                               long epoch, long seq, long raftTerm, long raftIndex, Instant createdAt,
                               List<FileEntry> files, String manifestSha256) {

    /** Name of the manifest file in a snapshot directory. */
    public static final String FILE_NAME = "manifest.json";
    /** Manifest layout version this build writes and reads. */
    public static final int MANIFEST_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /**
     * One checkpoint file.
     *
     * @param name   file name, flat (no separator)
     * @param size   size in bytes
     * @param sha256 SHA-256 of the content, lowercase hex
     */
    public record FileEntry(String name, long size, String sha256) {
        public FileEntry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(sha256, "sha256");
            if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".")
                    || name.equals("..")) {
                throw new IllegalArgumentException("snapshot file name must be a flat file name, was '" + name + "'");
            }
            if (size < 0) {
                throw new IllegalArgumentException("size must be >= 0, was " + size);
            }
            if (!SHA256_HEX.matcher(sha256).matches()) {
                throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits, was '" + sha256 + "'");
            }
        }
    }

    public SnapshotManifest {
        Objects.requireNonNull(siteId, "siteId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(manifestSha256, "manifestSha256");
        files = List.copyOf(files);
    }

    /** A manifest whose checksum is computed from the other fields. */
    static SnapshotManifest create(String siteId, int formatVersion, HookMetadata metadata, Instant createdAt,
                                   List<FileEntry> files) {
        List<FileEntry> sorted = new ArrayList<>(files);
        sorted.sort((a, b) -> a.name().compareTo(b.name()));
        SnapshotManifest unsigned = new SnapshotManifest(MANIFEST_VERSION, siteId, formatVersion, metadata.role(),
                metadata.epoch(), metadata.stateSeq(), metadata.lastAppliedTerm(), metadata.lastAppliedIndex(),
                createdAt, sorted, "");
        return unsigned.withChecksum(unsigned.computeChecksum());
    }

    /** Sum of the file sizes. */
    public long totalBytes() {
        return files.stream().mapToLong(FileEntry::size).sum();
    }

    /**
     * Reads {@code dir/manifest.json} and validates it completely: the manifest checksum, then every listed file
     * (present, same size, same SHA-256), and that no unlisted file is present (only {@value #FILE_NAME} and
     * RocksDB's info logs may be).
     *
     * @throws StorageException naming the offending file or field
     */
    public static SnapshotManifest read(Path dir) {
        SnapshotManifest manifest = readManifestOnly(dir);
        manifest.verifyFiles(dir);
        return manifest;
    }

    /** Reads and checks the manifest file itself, without reading the checkpoint files. */
    public static SnapshotManifest readManifestOnly(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new StorageException("read snapshot manifest", "missing " + file, e);
        } catch (IOException e) {
            throw new StorageException("read snapshot manifest", "cannot parse " + file + ": " + e.getMessage(), e);
        }
        SnapshotManifest manifest = fromJson(root, file);
        String expected = manifest.computeChecksum();
        if (!expected.equals(manifest.manifestSha256)) {
            throw new StorageException("read snapshot manifest", file + " is corrupt: manifestSha256 is "
                    + manifest.manifestSha256 + " but its content hashes to " + expected);
        }
        return manifest;
    }

    /** Checks every listed file of {@code dir} against this manifest. */
    public void verifyFiles(Path dir) {
        String operation = "verify snapshot " + dir;
        Set<String> listed = new HashSet<>();
        for (FileEntry entry : files) {
            listed.add(entry.name());
            Path file = dir.resolve(entry.name());
            if (!Files.isRegularFile(file)) {
                throw new StorageException(operation, "file " + entry.name() + " listed in the manifest is missing");
            }
            try {
                long size = Files.size(file);
                if (size != entry.size()) {
                    throw new StorageException(operation, "file " + entry.name() + " is " + size
                            + " bytes, the manifest says " + entry.size());
                }
                String sha = SnapshotFiles.sha256(file);
                if (!sha.equals(entry.sha256())) {
                    throw new StorageException(operation, "file " + entry.name() + " has SHA-256 " + sha
                            + ", the manifest says " + entry.sha256());
                }
            } catch (IOException e) {
                throw new StorageException(operation, "cannot read file " + entry.name() + ": " + e, e);
            }
        }
        for (String name : SnapshotFiles.checkpointFiles(dir, operation)) {
            if (!listed.contains(name)) {
                throw new StorageException(operation, "file " + name + " is not listed in the manifest");
            }
        }
    }

    /** Writes this manifest to {@code dir/manifest.json} atomically (temp file, fsync, rename, fsync dir). */
    void writeTo(Path dir) {
        try {
            byte[] bytes = JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(toJson(true));
            SnapshotFiles.writeAtomically(dir, FILE_NAME, bytes);
        } catch (IOException e) {
            throw new StorageException("write snapshot manifest", "cannot write " + dir.resolve(FILE_NAME) + ": "
                    + e, e);
        }
    }

    private SnapshotManifest withChecksum(String sha) {
        return new SnapshotManifest(manifestVersion, siteId, formatVersion, role, epoch, seq, raftTerm, raftIndex,
                createdAt, files, sha);
    }

    private String computeChecksum() {
        try {
            return SnapshotFiles.sha256(JSON.writeValueAsBytes(toJson(false)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }

    private ObjectNode toJson(boolean withChecksum) {
        ObjectNode root = JSON.createObjectNode()
                .put("manifestVersion", manifestVersion)
                .put("siteId", siteId)
                .put("formatVersion", formatVersion)
                .put("role", role.name())
                .put("epoch", epoch)
                .put("seq", seq)
                .put("raftTerm", raftTerm)
                .put("raftIndex", raftIndex)
                .put("createdAt", createdAt.toString());
        ArrayNode list = root.putArray("files");
        for (FileEntry f : files) {
            list.addObject().put("name", f.name()).put("size", f.size()).put("sha256", f.sha256());
        }
        if (withChecksum) {
            root.put("manifestSha256", manifestSha256);
        }
        return root;
    }

    private static SnapshotManifest fromJson(JsonNode root, Path file) {
        Fields f = new Fields(root, file);
        int version = (int) f.integer(root, "manifestVersion");
        if (version != MANIFEST_VERSION) {
            throw new StorageException("read snapshot manifest", file + ": manifestVersion " + version
                    + " is not supported (this build reads " + MANIFEST_VERSION + ")");
        }
        HookMetadata.Role role;
        try {
            role = HookMetadata.Role.valueOf(f.text(root, "role"));
        } catch (IllegalArgumentException e) {
            throw f.invalid("role", e.getMessage());
        }
        Instant createdAt;
        try {
            createdAt = Instant.parse(f.text(root, "createdAt"));
        } catch (DateTimeParseException e) {
            throw f.invalid("createdAt", e.getMessage());
        }
        JsonNode list = root.get("files");
        if (list == null || !list.isArray()) {
            throw f.invalid("files", "missing or not an array");
        }
        List<FileEntry> files = new ArrayList<>();
        for (JsonNode node : list) {
            try {
                files.add(new FileEntry(f.text(node, "name"), f.integer(node, "size"), f.text(node, "sha256")));
            } catch (IllegalArgumentException e) {
                throw f.invalid("files", e.getMessage());
            }
        }
        return new SnapshotManifest(version, f.text(root, "siteId"), (int) f.integer(root, "formatVersion"), role,
                f.integer(root, "epoch"), f.integer(root, "seq"), f.integer(root, "raftTerm"),
                f.integer(root, "raftIndex"), createdAt, files, f.text(root, "manifestSha256"));
    }

    /** Typed field access with errors naming the file and the field. */
    private record Fields(JsonNode root, Path file) {
        String text(JsonNode node, String name) {
            JsonNode v = node.get(name);
            if (v == null || !v.isTextual()) {
                throw invalid(name, "missing or not a string");
            }
            return v.asText();
        }

        long integer(JsonNode node, String name) {
            JsonNode v = node.get(name);
            if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
                throw invalid(name, "missing or not an integer");
            }
            return v.asLong();
        }

        StorageException invalid(String field, String why) {
            return new StorageException("read snapshot manifest", file + ": field '" + field + "' " + why);
        }
    }
}
