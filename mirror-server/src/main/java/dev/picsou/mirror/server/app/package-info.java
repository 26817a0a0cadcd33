/**
 * The reference application: a replicated key-value store on a RocksDB-backed Ratis state machine.
 * {@link dev.picsou.mirror.server.app.KvCommand} is the transaction format (and, through
 * {@code KvCommand::applyTo}, the mirror's payload applier); {@link dev.picsou.mirror.server.app.KvStateMachine}
 * applies it on every replica of a primary site; {@link dev.picsou.mirror.server.app.KvClient} and
 * {@link dev.picsou.mirror.server.app.LoadGenerator} drive it.
 */
package dev.picsou.mirror.server.app;
