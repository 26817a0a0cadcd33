package dev.picsou.mirror.bridge.transport;

/**
 * A transport could not be set up: the listening address is taken, a key store is unreadable, the event loops
 * did not start. Not transient from the transport's point of view: the caller decides whether to retry.
 * Runtime failures of individual connections are never thrown; they are logged, counted and retried.
 */
public final class TransportException extends RuntimeException {

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
