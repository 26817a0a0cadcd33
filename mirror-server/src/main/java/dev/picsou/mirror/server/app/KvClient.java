package dev.picsou.mirror.server.app;

import dev.picsou.mirror.server.site.SiteClients;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * The client of the reference KV application: puts and deletes go through the Raft log ({@code async().send});
 * gets are read-only queries answered by the leader's {@link KvStateMachine} from its applied state, so a client
 * reads its own acknowledged writes. Retries and back-off are the wrapped client's (use {@link #connect} for the
 * bounded policy of {@link SiteClients}); a request that exhausts them fails its future.
 *
 * <p>Thread-safe. Writes from one client are applied in the order they were sent.
 */
public final class KvClient implements AutoCloseable {

    private final RaftClient client;
    private final boolean ownsClient;

    private KvClient(RaftClient client, boolean ownsClient) {
        this.client = Objects.requireNonNull(client, "client");
        this.ownsClient = ownsClient;
    }

    /** A client of {@code group} with {@link SiteClients#boundedRetryPolicy()}; {@link #close()} closes it. */
    public static KvClient connect(RaftGroup group) {
        return new KvClient(SiteClients.newClient(group), true);
    }

    /** Wraps {@code client}, which the caller keeps and closes; {@link #close()} leaves it open. */
    public static KvClient wrap(RaftClient client) {
        return new KvClient(client, false);
    }

    /** Sets {@code key} to {@code value}; completes with the Raft index it was applied at. */
    public CompletableFuture<Long> putAsync(byte[] key, byte[] value) {
        return write(new KvCommand.Put(key, value));
    }

    /** Removes {@code key} (a no-op when absent); completes with the Raft index it was applied at. */
    public CompletableFuture<Long> deleteAsync(byte[] key) {
        return write(new KvCommand.Delete(key));
    }

    /** Reads {@code key} from the leader's applied state. */
    public CompletableFuture<Optional<byte[]>> getAsync(byte[] key) {
        Message query = message(new KvCommand.Get(key));
        return client.async().sendReadOnly(query).thenApply(reply -> KvCommand.decodeGetReply(
                requireSuccess(reply).getMessage().getContent().toByteArray()));
    }

    /**
     * Blocking {@link #putAsync}.
     *
     * @throws IOException if the write failed after the retries
     */
    public long put(byte[] key, byte[] value) throws IOException {
        return join(putAsync(key, value));
    }

    /**
     * Blocking {@link #deleteAsync}.
     *
     * @throws IOException if the write failed after the retries
     */
    public long delete(byte[] key) throws IOException {
        return join(deleteAsync(key));
    }

    /**
     * Blocking {@link #getAsync}.
     *
     * @throws IOException if the read failed after the retries
     */
    public Optional<byte[]> get(byte[] key) throws IOException {
        return join(getAsync(key));
    }

    /** The wrapped Ratis client. */
    public RaftClient raftClient() {
        return client;
    }

    @Override
    public void close() throws IOException {
        if (ownsClient) {
            client.close();
        }
    }

    private CompletableFuture<Long> write(KvCommand command) {
        return client.async().send(message(command)).thenApply(reply -> requireSuccess(reply).getLogIndex());
    }

    static Message message(KvCommand command) {
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(command.encode()));
    }

    static RaftClientReply requireSuccess(RaftClientReply reply) {
        if (!reply.isSuccess()) {
            throw new CompletionException(reply.getException() != null ? reply.getException()
                    : new IOException("request failed: " + reply));
        }
        return reply;
    }

    private static <T> T join(CompletableFuture<T> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the site", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause.getMessage(), cause);
        }
    }
}
