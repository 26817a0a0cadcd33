package dev.picsou.mirror.server.site;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.retry.ExponentialBackoffRetry;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.util.TimeDuration;

/**
 * Ratis clients for a site: gRPC, and a bounded, backing-off retry policy (Ratis's default retries forever without
 * sleeping, so a dead site would spin a client forever).
 */
public final class SiteClients {

    /** Attempts per request of {@link #boundedRetryPolicy()}. */
    public static final int RETRY_ATTEMPTS = 15;
    /** First back-off of {@link #boundedRetryPolicy()}, doubled per attempt (with jitter 0.5x to 1.5x). */
    public static final Duration RETRY_BASE_SLEEP = Duration.ofMillis(100);
    /** Longest back-off of {@link #boundedRetryPolicy()}. */
    public static final Duration RETRY_MAX_SLEEP = Duration.ofSeconds(2);
    /** Per-attempt request timeout of the clients built here. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);
    /** Async requests a client keeps outstanding before {@code send} blocks (Ratis's default is 100). */
    public static final int OUTSTANDING_REQUESTS_MAX = 1000;

    private SiteClients() {
    }

    /**
     * Exponential back-off from {@value #RETRY_ATTEMPTS} attempts: 0.1, 0.2, 0.4 ... capped at 2 s, about 25 s of
     * sleeping in all, enough to ride out a leader election with the timeouts of {@link LocalSiteConfig}.
     */
    public static RetryPolicy boundedRetryPolicy() {
        return ExponentialBackoffRetry.newBuilder()
                .setBaseSleepTime(toTimeDuration(RETRY_BASE_SLEEP))
                .setMaxSleepTime(toTimeDuration(RETRY_MAX_SLEEP))
                .setMaxAttempts(RETRY_ATTEMPTS)
                .build();
    }

    /** A new gRPC client of {@code group} with {@link #boundedRetryPolicy()}; the caller closes it. */
    public static RaftClient newClient(RaftGroup group) {
        return newClient(group, boundedRetryPolicy());
    }

    /** A new gRPC client of {@code group} with {@code retryPolicy}; the caller closes it. */
    public static RaftClient newClient(RaftGroup group, RetryPolicy retryPolicy) {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(retryPolicy, "retryPolicy");
        RaftProperties properties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
        RaftClientConfigKeys.Rpc.setRequestTimeout(properties, toTimeDuration(REQUEST_TIMEOUT));
        RaftClientConfigKeys.Async.setOutstandingRequestsMax(properties, OUTSTANDING_REQUESTS_MAX);
        return RaftClient.newBuilder()
                .setRaftGroup(group)
                .setProperties(properties)
                .setRetryPolicy(retryPolicy)
                .build();
    }

    static TimeDuration toTimeDuration(Duration duration) {
        return TimeDuration.valueOf(duration.toMillis(), TimeUnit.MILLISECONDS);
    }
}
