package dev.picsou.mirror.server.admin;

/**
 * The handler of one path of the admin endpoint. A route receives every method and decides what to do with it.
 * It runs on one of the endpoint's two worker threads, possibly concurrently with itself, so it must be
 * thread-safe, answer quickly and never block for long; {@link AdminHttpServer#close()} interrupts it.
 */
@FunctionalInterface
public interface AdminRoute {

    /**
     * Answers {@code request}. An exception becomes a 500 JSON response naming its class and message, and a log
     * line.
     */
    AdminResponse handle(AdminRequest request) throws Exception;
}
