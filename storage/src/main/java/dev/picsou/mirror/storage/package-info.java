/**
 * Everything a node keeps on disk, in one RocksDB per node: the primary's outbox, the mirror's entry log and
 * pending set, the materialized KV state, and the hook metadata (epoch, seqs, fork points), written together in
 * atomic batches. The only package of the project that imports {@code org.rocksdb}; no RocksDB type appears in its
 * public API.
 *
 * <p>Entry points: {@link dev.picsou.mirror.storage.MirrorStore} (open, read views, batches),
 * {@link dev.picsou.mirror.storage.StoreBatch} (atomic writes), and {@code .snapshot} for checkpoints.
 */
package dev.picsou.mirror.storage;
