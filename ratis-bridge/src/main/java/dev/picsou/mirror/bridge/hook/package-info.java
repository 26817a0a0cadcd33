/**
 * The Ratis hooks on both sites (DESIGN.md §3): the primary's
 * {@link dev.picsou.mirror.bridge.hook.MirroringStateMachine} decorator and
 * {@link dev.picsou.mirror.bridge.hook.PrimaryLink}, the mirror's
 * {@link dev.picsou.mirror.bridge.hook.MirrorStateMachine}, {@link dev.picsou.mirror.bridge.hook.MirrorLink} and
 * {@link dev.picsou.mirror.bridge.hook.EntryIngestor}, assembled per replica by
 * {@link dev.picsou.mirror.bridge.hook.PrimaryHook} and {@link dev.picsou.mirror.bridge.hook.MirrorHook}.
 *
 * <h2>Threading model</h2>
 * <ul>
 *   <li><b>Ratis apply thread</b> (one per replica): numbers entries and writes the outbox (primary), applies ingest
 *       batches (mirror), takes snapshots, restores stores after an install. It only enqueues into the link.</li>
 *   <li><b>Driver</b> (one {@link dev.picsou.mirror.bridge.hook.PicsouDriver} per link endpoint): the only
 *       thread that touches a protocol engine; carries out its actions (transport sends, outbox deletes on QUACK,
 *       hand-off of delivered entries to the ingestor). It runs on the transport's event loop when the transport
 *       offers one ({@link dev.picsou.mirror.bridge.transport.Transport#sharedEventLoop()}: Netty with one I/O
 *       thread), else on a thread of its own.</li>
 *   <li><b>Transport threads</b> (Netty event loops, the in-memory hub): only enqueue frames into the driver (on
 *       a shared loop, the driver then steps the engine in the same loop iteration).</li>
 *   <li><b>Ingest thread</b> (mirror): batches delivered entries and proposes them through an async RaftClient,
 *       at most {@code maxInFlight} outstanding; the only thread that may wait.</li>
 *   <li><b>Sync-mode helpers</b> (primary, sync mode only): a housekeeping thread for the timeout policy and one
 *       that completes released apply futures, so Ratis' client replies never run on the driver thread.</li>
 * </ul>
 * The primary's hook store has two writers (apply thread: entry + metadata; driver: QUACK + metadata); both derive
 * the single metadata record under one monitor, so neither overwrites the other's fields.
 *
 * <h2>Lifecycle</h2>
 * Build the hook, give its state machine to a {@code RaftServer}, start the server and the hook (either order: the
 * engine starts when the state machine opens its store). To stop, close the hook and the server. To restart a
 * replica, build a new hook on the same directories.
 */
package dev.picsou.mirror.bridge.hook;
