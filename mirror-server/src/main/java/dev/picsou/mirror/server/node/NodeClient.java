package dev.picsou.mirror.server.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.picsou.mirror.config.NodeConfig;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * A client of one node's admin endpoint (JSON over HTTP), used by the operator commands and by nodes watching the
 * other site. Thread-safe.
 */
public final class NodeClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private NodeClient() {
    }

    /** The few fields of {@code /status} other nodes act on. */
    public record Status(String node, String site, String role, long epoch, long stateSeq) {
        public boolean primary() {
            return "PRIMARY".equals(role);
        }
    }

    /** The node's status, or empty if it does not answer within {@code timeout}. */
    public static Optional<Status> tryStatus(NodeConfig node, Duration timeout) {
        try {
            JsonNode s = get(node, "/status", timeout);
            return Optional.of(new Status(s.path("node").asText(), s.path("site").asText(), s.path("role").asText(),
                    s.path("epoch").asLong(), s.path("state_seq").asLong()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * GET {@code path} and parse the JSON answer.
     *
     * @throws IOException naming the node and the address when it is unreachable, or carrying the node's error
     */
    public static JsonNode get(NodeConfig node, String path, Duration timeout) throws IOException {
        return send(node, HttpRequest.newBuilder(uri(node, path)).timeout(timeout).GET().build());
    }

    /** POST {@code body} as JSON to {@code path} and parse the JSON answer. */
    public static JsonNode post(NodeConfig node, String path, Object body, Duration timeout) throws IOException {
        byte[] bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
        return send(node, HttpRequest.newBuilder(uri(node, path)).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
    }

    private static JsonNode send(NodeConfig node, HttpRequest request) throws IOException {
        HttpResponse<String> response;
        try {
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling node " + node.id(), e);
        } catch (IOException e) {
            throw new NodeUnreachableException(node, e);
        }
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IOException("node " + node.id() + " answered " + request.uri().getPath() + " with status "
                    + response.statusCode() + " and a body that is not JSON: " + abbreviate(response.body()), e);
        }
        if (response.statusCode() >= 300) {
            throw new NodeErrorException(node, response.statusCode(), json.path("error").asText(response.body()));
        }
        return json;
    }

    private static URI uri(NodeConfig node, String path) {
        return URI.create("http://" + node.admin() + path);
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    /** The node did not answer at all (down, or the address is wrong). */
    public static final class NodeUnreachableException extends IOException {
        private static final long serialVersionUID = 1L;

        NodeUnreachableException(NodeConfig node, IOException cause) {
            super("node " + node.id() + " is not reachable at " + node.admin() + " (" + describe(cause) + ")",
                    cause);
        }

        private static String describe(IOException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    /** The node answered with an error status. */
    public static final class NodeErrorException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int status;

        NodeErrorException(NodeConfig node, int status, String error) {
            super("node " + node.id() + ": " + error + " (HTTP " + status + ")");
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
