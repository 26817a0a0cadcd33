package dev.picsou.mirror.bridge.sim;

import dev.picsou.mirror.bridge.model.Entry;

import java.util.ArrayList;
import java.util.List;

/**
 * A model of the mirror site: its Raft group plus our {@code MirrorStateMachine}. An entry a receiver delivers is a
 * proposal; it is committed in the site's log {@code siteCommitDelayMs} later if the site has a quorum then, and
 * waits for the quorum otherwise (the proposal reached the leader; a crash of the delivering replica does not
 * lose it). The log drops entries it already holds. After a commit every alive receiver gets
 * {@code onSiteCommitted(seq)}; committed entries are applied strictly in {@code seq} order (early ones wait),
 * each once, and when the applied prefix grows every alive receiver gets {@code onDurable(prefix)}.
 *
 * <p>Quorum: alive, non-Byzantine receivers holding at least {@code total stake - u_r} stake; for a CFT site
 * ({@code u = (n-1)/2}) that is a majority.
 */
final class ReceivingSite {
    static final int COMMIT = 30;

    private final SimRun run;
    private final long commitDelayNanos;
    private final long quorumStake;
    private final Entry[] log;
    private final List<Entry> proposals = new ArrayList<>();
    private final List<Entry[]> waitingForQuorum = new ArrayList<>();
    private long[] fresh = new long[64];
    private long durable;
    private long highestCommitted;

    ReceivingSite(SimRun run, SimConfig config) {
        this.run = run;
        this.commitDelayNanos = Math.round(config.siteCommitDelayMs() * 1e6);
        this.quorumStake = SimConfig.total(config.receiverStakes(), config.receivers()) - config.receiverU();
        this.log = new Entry[config.entries() + 1];
    }

    long durable() {
        return durable;
    }

    /** A receiver delivered {@code e} (already checked for integrity). */
    void propose(Entry e) {
        proposals.add(e);
    }

    /** After each event: the proposals it produced go to the log together. */
    void flushProposals() {
        if (!proposals.isEmpty()) {
            Entry[] batch = proposals.toArray(new Entry[0]);
            proposals.clear();
            run.schedule(run.now() + commitDelayNanos, COMMIT, null, 0, batch);
        }
    }

    boolean hasQuorum() {
        long stake = 0;
        for (SimNode n : run.receivers()) {
            if (n.alive && !n.byzantine) {
                stake += n.stake;
            }
        }
        return stake >= quorumStake;
    }

    /** A receiver restarted: proposals that waited for a quorum go ahead if it is back. */
    void onReceiverRestarted() {
        if (!waitingForQuorum.isEmpty() && hasQuorum()) {
            for (Entry[] batch : waitingForQuorum) {
                run.schedule(run.now() + commitDelayNanos, COMMIT, null, 0, batch);
            }
            waitingForQuorum.clear();
        }
    }

    /** COMMIT event. */
    void onCommit(Entry[] batch) {
        if (!hasQuorum()) {
            waitingForQuorum.add(batch);
            return;
        }
        if (fresh.length < batch.length) {
            fresh = new long[Math.max(batch.length, 2 * fresh.length)];
        }
        long[] seqs = fresh;
        int count = 0;
        for (Entry e : batch) {
            int seq = (int) e.seq();
            if (seq <= durable || log[seq] != null) {
                continue;
            }
            log[seq] = e;
            seqs[count++] = seq;
            highestCommitted = Math.max(highestCommitted, seq);
        }
        if (count == 0) {
            return;
        }
        for (SimNode n : run.receivers()) {
            for (int k = 0; k < count && n.alive; k++) {
                run.receiverSiteCommitted(n, seqs[k]);
            }
        }
        long before = durable;
        while (durable + 1 < log.length && log[(int) durable + 1] != null) {
            Entry e = log[(int) durable + 1];
            log[(int) durable + 1] = null;
            durable++;
            run.invariants().onApply(e, run.now());
        }
        if (durable > before) {
            for (SimNode n : run.receivers()) {
                if (n.alive) {
                    run.receiverDurable(n, durable);
                }
            }
            run.onMirrorDurable(durable);
        }
    }

    /** What a restarted receiver learns from its site: the durable prefix and the committed, unapplied entries. */
    void catchUp(SimNode n) {
        if (durable > 0) {
            run.receiverDurable(n, durable);
        }
        for (long seq = durable + 2; seq <= highestCommitted && n.alive; seq++) {
            if (log[(int) seq] != null) {
                run.receiverSiteCommitted(n, seq);
            }
        }
    }
}
