package dev.picsou.mirror.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class AdminHttpServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client = newClient();
    private final MetricRegistry metrics = new MetricRegistry();
    private final List<AdminHttpServer> servers = new ArrayList<>();

    @AfterEach
    void closeServers() {
        servers.forEach(AdminHttpServer::close);
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private AdminHttpServer start(Map<String, AdminRoute> routes) throws IOException {
        return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), routes);
    }

    private AdminHttpServer start(InetSocketAddress bind, Map<String, AdminRoute> routes) throws IOException {
        AdminHttpServer server = AdminHttpServer.start(bind, metrics, routes);
        servers.add(server);
        return server;
    }

    private static URI uri(AdminHttpServer server, String pathAndQuery) {
        InetSocketAddress address = server.address();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort() + pathAndQuery);
    }

    private HttpResponse<String> get(AdminHttpServer server, String pathAndQuery) throws Exception {
        return send(client, server, "GET", pathAndQuery, null);
    }

    private static HttpResponse<String> send(HttpClient client, AdminHttpServer server, String method,
                                             String pathAndQuery, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(server, pathAndQuery))
                .timeout(REQUEST_TIMEOUT)
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        return JSON.readTree(response.body());
    }

    @Test
    void servesEveryMetricTypeOnMetricsInPrometheusTextFormat() throws Exception {
        metrics.register("picsou.primary.committed_seq", (Gauge<Long>) () -> 17L);
        metrics.counter("picsou.primary.resends").inc(2);
        metrics.meter("picsou.primary.entries-sent").mark(5);
        metrics.histogram("picsou.primary.batch_entries").update(8);
        metrics.timer("picsou.primary.quack_latency").update(Duration.ofMillis(20));
        AdminHttpServer server = start(Map.of());

        HttpResponse<String> response = get(server, "/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValue("text/plain; version=0.0.4; charset=utf-8");
        Map<String, Exposition.Family> families = Exposition.parse(response.body());
        assertThat(families).containsOnlyKeys("picsou_primary_batch_entries", "picsou_primary_committed_seq",
                "picsou_primary_entries_sent_m1_rate", "picsou_primary_entries_sent_total",
                "picsou_primary_quack_latency_seconds", "picsou_primary_resends_total");
        assertThat(families.get("picsou_primary_committed_seq").value()).isEqualTo(17);
        assertThat(families.get("picsou_primary_resends_total").value()).isEqualTo(2);
        assertThat(families.get("picsou_primary_entries_sent_total").value()).isEqualTo(5);
        assertThat(families.get("picsou_primary_batch_entries").value("picsou_primary_batch_entries",
                Map.of("quantile", "0.99"))).isEqualTo(8);
        assertThat(families.get("picsou_primary_quack_latency_seconds").value("picsou_primary_quack_latency_seconds",
                Map.of("quantile", "0.5"))).isEqualTo(0.02);
    }

    @Test
    void metricsReflectTheRegistryAtEachRequest() throws Exception {
        AdminHttpServer server = start(Map.of());
        assertThat(get(server, "/metrics").body()).isEmpty();

        metrics.counter("late").inc();

        assertThat(Exposition.parse(get(server, "/metrics").body())).containsOnlyKeys("picsou_late_total");
    }

    @Test
    void healthAnswersUpByDefault() throws Exception {
        AdminHttpServer server = start(Map.of());

        HttpResponse<String> response = get(server, "/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(JSON.readTree("{\"status\":\"UP\"}"));
    }

    @Test
    void callerRouteOverridesBuiltInHealthForEveryMethod() throws Exception {
        AdminHttpServer server = start(Map.of("/health", request ->
                AdminResponse.json(503, "{\"status\":\"DOWN\",\"method\":\"" + request.method() + "\"}")));

        HttpResponse<String> get = get(server, "/health");
        HttpResponse<String> post = send(client, server, "POST", "/health", new byte[0]);

        assertThat(get.statusCode()).isEqualTo(503);
        assertThat(json(get).get("status").asText()).isEqualTo("DOWN");
        assertThat(post.statusCode()).isEqualTo(503);
        assertThat(json(post).get("method").asText()).isEqualTo("POST");
    }

    @Test
    void servesStatusJsonFromCallerRoute() throws Exception {
        AdminHttpServer server = start(Map.of("/status", request ->
                AdminResponse.json(200, "{\"role\":\"PRIMARY\",\"committedSeq\":12,\"links\":[{\"site\":\"b\"}]}")));

        HttpResponse<String> response = get(server, "/status");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode status = json(response);
        assertThat(status.get("role").asText()).isEqualTo("PRIMARY");
        assertThat(status.get("committedSeq").asLong()).isEqualTo(12);
        assertThat(status.get("links").get(0).get("site").asText()).isEqualTo("b");
    }

    @Test
    void routeReceivesMethodPathDecodedQueryAndBody() throws Exception {
        AdminHttpServer server = start(Map.of("/echo", request -> AdminResponse.json(200,
                JSON.writeValueAsString(Map.of("method", request.method(), "path", request.path(),
                        "query", request.query(), "body", request.body())))));

        HttpResponse<String> response = send(client, server, "PUT", "/echo?site=b%20west&flag&site=ignored&n=1",
                "héllo".getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(JSON.readTree(
                "{\"method\":\"PUT\",\"path\":\"/echo\",\"query\":{\"site\":\"b west\",\"flag\":\"\",\"n\":\"1\"},"
                        + "\"body\":\"héllo\"}"));
    }

    @Test
    void answersUnknownPathWith404ListingTheRoutes() throws Exception {
        AdminHttpServer server = start(Map.of("/status", request -> AdminResponse.json(200, "{}")));

        HttpResponse<String> response = get(server, "/x?y=1");

        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode answer = json(response);
        assertThat(answer.get("error").asText()).isEqualTo("no route GET /x");
        assertThat(answer.get("routes")).extracting(JsonNode::asText)
                .containsExactly("/", "/health", "/metrics", "/status");
    }

    @Test
    void builtInRoutesAnswerMethodsOtherThanGetAndHeadWith405() throws Exception {
        AdminHttpServer server = start(Map.of());

        for (String path : List.of("/", "/metrics", "/health")) {
            HttpResponse<String> response = send(client, server, "POST", path, "x".getBytes(StandardCharsets.UTF_8));

            assertThat(response.statusCode()).as(path).isEqualTo(405);
            assertThat(response.headers().firstValue("Allow")).as(path).hasValue("GET, HEAD");
            assertThat(json(response).get("error").asText()).contains("POST", path);
        }
    }

    @Test
    void headGetsTheStatusHeadersAndLengthOfGetWithoutTheBody() throws Exception {
        AdminHttpServer server = start(Map.of());

        HttpResponse<String> response = send(client, server, "HEAD", "/health", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(response.headers().firstValueAsLong("Content-Length"))
                .hasValue("{\"status\":\"UP\"}".length());
        assertThat(response.body()).isEmpty();
    }

    @Test
    void noContentAnswerHasNeitherBodyNorLength() throws Exception {
        AdminHttpServer server = start(Map.of("/ack", request -> AdminResponse.text(204, "")));

        HttpResponse<String> response = get(server, "/ack");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("Content-Length")).isEmpty();
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.body()).isEmpty();
    }

    @Test
    void answersThrowingRouteWith500NamingClassAndMessageAndLogsIt() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(AdminHttpServer.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            AdminHttpServer server = start(Map.of("/status", request -> {
                throw new IllegalStateException("store closed");
            }));

            HttpResponse<String> response = get(server, "/status");

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(json(response).get("error").asText())
                    .isEqualTo("java.lang.IllegalStateException: store closed");
            List<ILoggingEvent> events;
            synchronized (appender) {
                events = List.copyOf(appender.list);
            }
            assertThat(events).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getFormattedMessage()).contains("GET", "/status");
                assertThat(event.getThrowableProxy().getMessage()).isEqualTo("store closed");
            });
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void answersBodyOverOneMebibyteWith413WithoutCallingTheRoute() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AdminHttpServer server = start(Map.of("/load", request -> {
            calls.incrementAndGet();
            return AdminResponse.text(200, Integer.toString(request.body().length()));
        }));
        byte[] limit = new byte[AdminHttpServer.MAX_BODY_BYTES];
        Arrays.fill(limit, (byte) 'a');

        HttpResponse<String> tooLarge = send(client, server, "POST", "/load", Arrays.copyOf(limit, limit.length + 1));
        HttpResponse<String> atLimit = send(client, server, "POST", "/load", limit);

        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(json(tooLarge).get("error").asText()).contains("1048576");
        assertThat(atLimit.statusCode()).isEqualTo(200);
        assertThat(atLimit.body()).isEqualTo("1048576");
        assertThat(calls).hasValue(1);
    }

    @Test
    void responsesCarryContentLengthAndNoStore() throws Exception {
        AdminHttpServer server = start(Map.of("/empty", request -> AdminResponse.text(200, "")));

        for (String path : List.of("/", "/metrics", "/health", "/empty", "/missing")) {
            HttpResponse<String> response = get(server, path);

            assertThat(response.headers().firstValue("Cache-Control")).as(path).hasValue("no-store");
            assertThat(response.headers().firstValueAsLong("Content-Length")).as(path)
                    .hasValue(response.body().getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void dashboardIsASelfContainedPageThatPollsStatusEverySecond() throws Exception {
        AdminHttpServer server = start(Map.of());

        HttpResponse<String> response = get(server, "/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        String page = response.body();
        assertThat(page).startsWith("<!DOCTYPE html>").contains("<script>", "</html>",
                "var STATUS_URL = \"status\";", "var POLL_MS = 1000;", "fetch(STATUS_URL",
                "setTimeout(poll, POLL_MS)");
        assertThat(page).doesNotContain("<script src", "<link", "http://", "https://", "@import");
    }

    @Test
    void closeFreesThePortForANewServer() throws Exception {
        AdminHttpServer first = start(Map.of());
        InetSocketAddress address = first.address();
        assertThat(get(first, "/health").statusCode()).isEqualTo(200);

        long startNanos = System.nanoTime();
        first.close();
        assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).isLessThan(Duration.ofSeconds(1));

        assertThatThrownBy(() -> send(newClient(), first, "GET", "/health", null)).isInstanceOf(IOException.class);
        AdminHttpServer second = start(address, Map.of());
        assertThat(second.address().getPort()).isEqualTo(address.getPort());
        assertThat(send(newClient(), second, "GET", "/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void closeReturnsWithinASecondWhileARouteIsBlocked() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        AdminHttpServer server = start(Map.of("/slow", request -> {
            entered.countDown();
            never.await();
            return AdminResponse.text(200, "late");
        }));
        CompletableFuture<HttpResponse<String>> pending = client.sendAsync(
                HttpRequest.newBuilder(uri(server, "/slow")).timeout(REQUEST_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

        long startNanos = System.nanoTime();
        server.close();

        assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).isLessThan(Duration.ofSeconds(1));
        assertThat(pending).failsWithin(Duration.ofSeconds(5));
    }
}
