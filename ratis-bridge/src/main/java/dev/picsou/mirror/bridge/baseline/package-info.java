/**
 * Baseline stream protocols that Picsou is measured against on the same simulator and transport: all-to-all
 * ({@link dev.picsou.mirror.bridge.baseline.AllToAll}), leader-to-leader
 * ({@link dev.picsou.mirror.bridge.baseline.LeaderToLeader}), GeoBFT-style OTU
 * ({@link dev.picsou.mirror.bridge.baseline.Otu}) and one-shot ({@link dev.picsou.mirror.bridge.baseline.OneShot}),
 * plus the name registry {@link dev.picsou.mirror.bridge.baseline.Protocols}.
 *
 * <p>Pure like the Picsou core: engines are single-threaded and deterministic, do no I/O and read no clock (time
 * comes in as {@code nowNanos}). Shared pieces are package-private: {@code LinkGuard} (frame admission and signing),
 * {@code CumulativeReceiver} (the one receiving endpoint, exactly-once delivery and cumulative acks),
 * {@code OutboxWindow} (un-QUACKed entries, window, QUACKs), {@code Batch} and {@code ResendTimers}.
 */
package dev.picsou.mirror.bridge.baseline;
