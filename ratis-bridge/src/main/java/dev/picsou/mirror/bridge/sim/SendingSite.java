package dev.picsou.mirror.bridge.sim;

import dev.picsou.mirror.bridge.model.Entry;

import java.util.SplittableRandom;

/**
 * The primary site's Raft group, as the stream sees it: it commits entries {@code 1..K} in order, either at a fixed
 * offered rate or, with rate 0, as a saturating closed loop that commits whenever fewer than {@code windowEntries}
 * committed entries are not yet durable on the mirror. Every sending replica applies each committed entry (after
 * its own skew) and its engine gets {@code onEntryCommitted}.
 *
 * <p>Payloads are a function of the seed and the {@code seq} only, so a restarted replica can be re-fed entries the
 * site no longer holds in memory. One {@link Entry} object (one payload array) is shared by all replicas; the site
 * keeps an entry only until every alive replica with a skew was fed it.
 */
final class SendingSite {
    static final int SOURCE = 20;
    static final int FEED = 21;

    private final SimRun run;
    private final int entries;
    private final int entryBytes;
    private final long epoch;
    private final long seed;
    private final double rate;
    private final long window;
    private final Entry[] held;
    private final boolean skewed;
    private long heldFloor;
    private long committed;
    private boolean sourcePending;

    SendingSite(SimRun run, SimConfig config, long window) {
        this.run = run;
        this.entries = config.entries();
        this.entryBytes = config.entryBytes();
        this.epoch = run.params().epoch();
        this.seed = config.seed();
        this.rate = config.rateEntriesPerS();
        this.window = window;
        this.skewed = config.senderSkewMs() > 0;
        this.held = skewed ? new Entry[entries + 1] : null;
    }

    /** Per-replica skews, seeded: replica 0 applies at commit time, the others uniformly up to {@code maxMs} later. */
    static long[] skews(int senders, double maxMs, SplittableRandom random) {
        long[] out = new long[senders];
        long max = Math.round(maxMs * 1e6);
        for (int i = 1; i < senders && max > 0; i++) {
            out[i] = random.nextLong(max + 1);
        }
        return out;
    }

    void start() {
        scheduleSource(0);
    }

    long committed() {
        return committed;
    }

    /** The mirror's durable prefix moved: in closed-loop mode, commit more. */
    void onMirrorDurable(long durable) {
        if (rate == 0 && committed < entries && committed - durable < window) {
            scheduleSource(run.now());
        }
    }

    private void scheduleSource(long at) {
        if (!sourcePending) {
            sourcePending = true;
            run.schedule(at, SOURCE, null, 0, null);
        }
    }

    /** SOURCE event: commit the next entries. */
    void onSource() {
        sourcePending = false;
        long target;
        if (rate == 0) {
            target = Math.min(entries, run.siteDurable() + window);
        } else {
            target = committed + 1;
        }
        long first = committed + 1;
        for (long seq = first; seq <= target; seq++) {
            Entry e = payloadEntry(seq);
            committed = seq;
            run.invariants().onCommitted(e, run.now());
            if (skewed) {
                held[(int) seq] = e;
            }
            for (SimNode n : run.senders()) {
                if (n.crashedForever) {
                    continue;
                }
                if (n.skewNanos == 0) {
                    feed(n, e);
                } else if (seq == target) {
                    run.schedule(run.now() + n.skewNanos, FEED, n, target, null);
                }
            }
        }
        if (committed < entries && rate > 0) {
            long next = (long) Math.ceil(committed * 1e9 / rate);
            scheduleSource(Math.max(run.now(), next));
        }
    }

    /** FEED event: replica {@code n} applies every committed entry up to {@code upTo}. */
    void onFeed(SimNode n, long upTo) {
        if (!n.alive) {
            return;
        }
        for (long seq = n.fedSeq + 1; seq <= upTo; seq++) {
            feed(n, entry(seq));
        }
        trimHeld();
    }

    /** A restarted replica: re-feed every entry after its recovered floor that it would have applied by now. */
    void onRestart(SimNode n) {
        n.fedSeq = n.quackFloor;
        long visible = committed;
        if (n.skewNanos > 0) {
            visible = run.invariants().lastCommittedAtOrBefore(run.now() - n.skewNanos, committed);
        }
        for (long seq = n.fedSeq + 1; seq <= visible && n.alive; seq++) {
            feed(n, entry(seq));
        }
    }

    private void feed(SimNode n, Entry e) {
        if (!n.alive || e.seq() != n.fedSeq + 1) {
            return;
        }
        n.fedSeq = e.seq();
        run.senderCommitted(n, e);
    }

    private Entry entry(long seq) {
        if (skewed && seq > heldFloor && held[(int) seq] != null) {
            return held[(int) seq];
        }
        return payloadEntry(seq);
    }

    private void trimHeld() {
        long min = committed;
        for (SimNode n : run.senders()) {
            if (n.alive && n.skewNanos > 0) {
                min = Math.min(min, n.fedSeq);
            }
        }
        while (heldFloor < min) {
            heldFloor++;
            held[(int) heldFloor] = null;
        }
    }

    /** The entry of {@code seq}: payload from the seed, Raft index with a metadata gap every 64 entries. */
    private Entry payloadEntry(long seq) {
        byte[] payload = new byte[entryBytes];
        new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ seq * 0xD1B54A32D192ED03L).nextBytes(payload);
        return Entry.of(epoch, seq, 1, seq + seq / 64, payload);
    }
}
