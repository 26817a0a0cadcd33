package dev.picsou.mirror.bridge.hook;

/**
 * A point-in-time view of one primary replica's link, for the admin endpoint and tests.
 *
 * @param mirrorSite    the site the link feeds
 * @param replica       this replica's index in the primary site
 * @param state         lifecycle state
 * @param committedSeq  highest seq committed locally and handed to the link
 * @param quackedSeq    highest seq QUACKed by the mirror
 * @param lagEntries    {@code committedSeq - quackedSeq}
 * @param lagBytes      payload bytes not yet QUACKed
 * @param lagMillis     age of the oldest un-QUACKed entry
 * @param outboxEntries entries in the on-disk outbox
 * @param syncWaiting   sync-mode writes waiting for their QUACK
 * @param syncDegraded  whether a sync site currently runs degraded to async
 */
public record PrimaryLinkStatus(String mirrorSite, int replica, LinkEndpointState state, long committedSeq,
                                long quackedSeq, long lagEntries, long lagBytes, long lagMillis, long outboxEntries,
                                int syncWaiting, boolean syncDegraded) {
}
