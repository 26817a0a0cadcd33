package dev.picsou.mirror.bridge.hook;

import dev.picsou.mirror.bridge.model.Entry;

/**
 * What {@link MirroringStateMachine} hands its entries to (a {@link PrimaryLink} in production). Both calls come
 * from Ratis threads and must only enqueue.
 */
interface PrimaryFeed {

    /** The hook store is open (initialize) or was replaced (snapshot install): (re)build the sender from it. */
    void attach(PrimaryHookStore store);

    /** {@code entry} is committed, stored in the outbox, and numbered; entries come in seq order. */
    void onCommitted(Entry entry);

    /** No link: entries stay in the outbox. */
    PrimaryFeed NONE = new PrimaryFeed() {
        @Override
        public void attach(PrimaryHookStore store) {
        }

        @Override
        public void onCommitted(Entry entry) {
        }
    };
}
