package dev.picsou.mirror.bridge.hook;

import dev.picsou.mirror.storage.MirrorStore;

/**
 * What {@link MirrorStateMachine} tells the mirror replica's receiving engine (a {@link MirrorLink} in production).
 * Both calls come from Ratis threads and must only enqueue.
 */
public interface MirrorApplyListener {

    /** The mirror store is open (initialize) or was replaced (snapshot install). */
    void onStoreReady(MirrorStore store);

    /**
     * An ingest batch was committed on the mirror site and applied here: every seq in {@code committedSeqs} is held
     * by the site (applied, pending, or a duplicate), and every seq {@code <= durableSeq} is applied and persisted.
     */
    void onApplied(long[] committedSeqs, long durableSeq);

    /** Listens to nothing. */
    MirrorApplyListener NONE = new MirrorApplyListener() {
        @Override
        public void onStoreReady(MirrorStore store) {
        }

        @Override
        public void onApplied(long[] committedSeqs, long durableSeq) {
        }
    };
}
