package dev.picsou.mirror.bridge.hook;

/**
 * A point-in-time view of one mirror replica's link, for the admin endpoint and tests.
 *
 * @param primarySite  the site the stream comes from
 * @param replica      this replica's index in the mirror site
 * @param state        lifecycle state
 * @param receivedSeq  the {@code received} prefix it acknowledges
 * @param durableSeq   the {@code durable} prefix it acknowledges
 * @param ingestQueued entries waiting to be proposed to the mirror site
 */
public record MirrorLinkStatus(String primarySite, int replica, LinkEndpointState state, long receivedSeq,
                               long durableSeq, int ingestQueued) {
}
