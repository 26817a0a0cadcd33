/**
 * Snapshots of a {@link dev.picsou.mirror.storage.MirrorStore}: a RocksDB checkpoint directory with a
 * {@link dev.picsou.mirror.storage.snapshot.SnapshotManifest} ({@code manifest.json}: site, epoch, seq, Raft
 * term/index, format version, creation time, SHA-256 of every file and of the manifest).
 * {@link dev.picsou.mirror.storage.snapshot.CheckpointWriter} writes one;
 * {@link dev.picsou.mirror.storage.snapshot.SnapshotRestore} validates one and turns it into a fresh data directory.
 * Uses no {@code org.rocksdb} type: it goes through {@code MirrorStore}.
 */
package dev.picsou.mirror.storage.snapshot;
