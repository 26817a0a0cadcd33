package dev.picsou.mirror.bridge.transport;

/**
 * Builds a {@link Transport} around a listener. Decorators take a factory rather than a transport so they can
 * interpose their own listener (to merge writability, for example).
 */
@FunctionalInterface
public interface TransportFactory {

    /** A new, not yet started transport that reports to {@code listener}. */
    Transport create(TransportListener listener);
}
