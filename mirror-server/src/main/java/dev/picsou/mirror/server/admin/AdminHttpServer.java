package dev.picsou.mirror.server.admin;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-node admin HTTP endpoint, on the JDK's {@link HttpServer}.
 *
 * <p><b>Routes</b> are matched by exact path (the query is not part of it). Built in, each replaced by a caller's
 * route of the same path:
 * <ul>
 *   <li>{@code GET /metrics}: the registry in Prometheus text format 0.0.4 (see {@link PrometheusText});</li>
 *   <li>{@code GET /health}: 200 {@code {"status":"UP"}};</li>
 *   <li>{@code GET /}: a self-contained live dashboard that polls {@code /status} every second.</li>
 * </ul>
 * The built-in routes answer anything but {@code GET} and {@code HEAD} with 405 and {@code Allow: GET, HEAD}; a
 * caller's route receives every method and decides.
 *
 * <p><b>Answers.</b> An unknown path gets 404 {@code {"error":"no route GET /x","routes":[...]}}; a route that
 * throws gets 500 {@code {"error":"<class>: <message>"}} and a WARN log line with the stack trace; a request body
 * over {@value #MAX_BODY_BYTES} bytes gets 413 without reaching a route; an undecodable query gets 400. Every
 * response carries {@code Content-Length} (but 1xx, 204 and 304, which have no body) and
 * {@code Cache-Control: no-store}; a {@code HEAD} request gets the status and headers of the route's answer, with
 * the length of its body, without the body.
 *
 * <p><b>Threads.</b> Requests run on {@value #WORKER_THREADS} daemon threads named
 * {@code picsou-admin-<port>-<n>}, so a route may be called concurrently with itself and with other routes; up
 * to {@value #QUEUE_CAPACITY} further requests wait, and a connection beyond that is closed unanswered. The
 * HTTP server's own dispatcher thread only accepts and parses.
 */
public final class AdminHttpServer implements AutoCloseable {

    /** Largest request body a route receives; a larger one is answered 413. */
    static final int MAX_BODY_BYTES = 1 << 20;
    /**
     * Bytes of an over-large body read and thrown away before answering 413, so that a client still sending
     * reads the answer instead of a reset connection; past this the server answers and closes the connection.
     */
    static final int DISCARD_MAX_BYTES = 8 << 20;
    /** Threads that run routes. */
    static final int WORKER_THREADS = 2;
    /** Requests waiting for a worker before new connections are closed unanswered. */
    static final int QUEUE_CAPACITY = 64;
    /** How long {@link #close()} waits for running routes after interrupting them. */
    private static final long WORKER_STOP_WAIT_MILLIS = 500;

    private static final Logger LOG = LoggerFactory.getLogger(AdminHttpServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALLOWED_BUILT_IN_METHODS = "GET, HEAD";

    private final HttpServer server;
    private final ThreadPoolExecutor workers;
    private final InetSocketAddress address;
    private final Map<String, AdminRoute> routes;
    private final Set<String> builtInPaths;
    private final AtomicBoolean closed = new AtomicBoolean();

    private AdminHttpServer(HttpServer server, ThreadPoolExecutor workers, Map<String, AdminRoute> routes,
                            Set<String> builtInPaths) {
        this.server = server;
        this.workers = workers;
        this.address = server.getAddress();
        this.routes = routes;
        this.builtInPaths = builtInPaths;
    }

    /**
     * Binds {@code bind} (port 0 takes any free port) and starts serving {@code routes} over the built-in ones.
     *
     * @param bind    host and port to listen on
     * @param metrics the registry {@code /metrics} renders, read at every request
     * @param routes  the caller's routes by exact path, each starting with {@code /}; copied
     * @throws IOException if the address cannot be bound
     */
    public static AdminHttpServer start(InetSocketAddress bind, MetricRegistry metrics, Map<String, AdminRoute> routes)
            throws IOException {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(metrics, "metrics");
        routes.forEach((path, route) -> {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("admin route path must start with '/': " + path);
            }
            Objects.requireNonNull(route, () -> "route for " + path);
        });
        Map<String, AdminRoute> all = new HashMap<>(builtInRoutes(metrics));
        Set<String> builtInPaths = new TreeSet<>(all.keySet());
        builtInPaths.removeAll(routes.keySet());
        all.putAll(routes);

        HttpServer server = HttpServer.create(bind, 0);
        int port = server.getAddress().getPort();
        ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKER_THREADS, WORKER_THREADS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE_CAPACITY), daemonThreads("picsou-admin-" + port + "-"),
                new ThreadPoolExecutor.AbortPolicy());
        AdminHttpServer admin = new AdminHttpServer(server, workers, Map.copyOf(all), Set.copyOf(builtInPaths));
        server.createContext("/", admin::serve);
        server.setExecutor(workers);
        server.start();
        LOG.info("admin endpoint listening on {} with routes {}", admin.address, new TreeSet<>(all.keySet()));
        return admin;
    }

    /** The address the server is bound to, with the real port. */
    public InetSocketAddress address() {
        return address;
    }

    /**
     * Stops listening, closes every connection, interrupts running routes and waits for them up to half a second;
     * returns within a second. The port is free again on return. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(WORKER_STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.warn("admin endpoint {}: routes still running after close", address);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("admin endpoint {} stopped", address);
    }

    private static Map<String, AdminRoute> builtInRoutes(MetricRegistry metrics) {
        String dashboard = Dashboard.HTML; // read now: a missing page fails start, not a request
        return Map.of(
                "/metrics", request -> new AdminResponse(200, PrometheusText.CONTENT_TYPE,
                        PrometheusText.render(metrics).getBytes(StandardCharsets.UTF_8)),
                "/health", request -> AdminResponse.json(200, "{\"status\":\"UP\"}"),
                "/", request -> AdminResponse.html(dashboard));
    }

    private static ThreadFactory daemonThreads(String namePrefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, namePrefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One exchange, on a worker thread. */
    private void serve(HttpExchange exchange) {
        try {
            send(exchange, respond(exchange));
        } catch (IOException e) {
            LOG.debug("admin endpoint: {} {} from {}: connection lost: {}", exchange.getRequestMethod(),
                    exchange.getRequestURI(), exchange.getRemoteAddress(), e.toString());
        } finally {
            exchange.close();
        }
    }

    private AdminResponse respond(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        URI uri = exchange.getRequestURI();
        String path = Objects.requireNonNullElse(uri.getPath(), "");
        byte[] body = readBody(exchange.getRequestBody());
        if (body == null) {
            return error(413, "request body larger than " + MAX_BODY_BYTES + " bytes");
        }
        AdminRoute route = routes.get(path);
        if (route == null) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("error", "no route " + method + " " + path);
            answer.put("routes", new TreeSet<>(routes.keySet()));
            return AdminResponse.json(404, toJson(answer));
        }
        if (builtInPaths.contains(path) && !method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", ALLOWED_BUILT_IN_METHODS);
            return error(405, "method " + method + " not allowed on " + path + ", only " + ALLOWED_BUILT_IN_METHODS);
        }
        Map<String, String> query;
        try {
            query = parseQuery(uri.getRawQuery());
        } catch (IllegalArgumentException e) {
            return error(400, "bad query string: " + e.getMessage());
        }
        AdminRequest request = new AdminRequest(method, path, query, new String(body, StandardCharsets.UTF_8));
        try {
            AdminResponse response = route.handle(request);
            if (response == null) {
                throw new IllegalStateException("route " + path + " returned no response");
            }
            return response;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (closed.get()) {
                LOG.debug("admin route {} {} stopped by close: {}", method, path, e.toString());
            } else {
                LOG.warn("admin route {} {} failed", method, path, e);
            }
            String message = e.getMessage();
            return error(500, e.getClass().getName() + (message == null ? "" : ": " + message));
        }
    }

    /** The whole body, or {@code null} if it is larger than {@link #MAX_BODY_BYTES} (the rest discarded). */
    private static byte[] readBody(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        int length = 0;
        int read;
        while ((read = in.read(buffer, length, buffer.length - length)) >= 0) {
            length += read;
            if (length == buffer.length) {
                if (length > MAX_BODY_BYTES) {
                    discard(in);
                    return null;
                }
                buffer = Arrays.copyOf(buffer, Math.min(length * 2, MAX_BODY_BYTES + 1));
            }
        }
        return Arrays.copyOf(buffer, length);
    }

    private static void discard(InputStream in) throws IOException {
        byte[] scratch = new byte[64 * 1024];
        long discarded = 0;
        int read;
        while (discarded < DISCARD_MAX_BYTES && (read = in.read(scratch)) >= 0) {
            discarded += read;
        }
    }

    /** Decoded parameters of {@code rawQuery}; of repeated names the first wins. */
    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            query.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return query;
    }

    private static AdminResponse error(int status, String message) {
        return AdminResponse.json(status, toJson(Map.of("error", message)));
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void send(HttpExchange exchange, AdminResponse response) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        int status = response.status();
        byte[] body = response.body();
        if (status < 200 || status == 204 || status == 304) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        if (exchange.getRequestMethod().equals("HEAD")) {
            // The JDK server sends no length for HEAD; give the one a GET would get.
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        if (body.length == 0) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
