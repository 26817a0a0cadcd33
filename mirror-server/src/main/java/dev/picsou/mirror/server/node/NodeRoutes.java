package dev.picsou.mirror.server.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.picsou.mirror.server.admin.AdminRequest;
import dev.picsou.mirror.server.admin.AdminResponse;
import dev.picsou.mirror.server.admin.AdminRoute;
import dev.picsou.mirror.storage.KeyValue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The admin routes of a node: reads ({@code GET /status, /health, /kv, /digest, /admin/snapshots}, {@code POST
 * /kv/get-many}) and the operator
 * actions ({@code POST /admin/seal, /admin/transition, /admin/lost-writes, /admin/base-values, /admin/snapshot}).
 * Answers are JSON; a refused action is a 409 with {@code {"error": ...}} naming why, bad input a 400.
 */
public final class NodeRoutes {
    private final MirrorNode node;
    private final NodeQueries queries;

    public NodeRoutes(MirrorNode node) {
        this.node = node;
        this.queries = new NodeQueries(node);
    }

    public Map<String, AdminRoute> routes() {
        Map<String, AdminRoute> r = new LinkedHashMap<>();
        r.put("/status", get(req -> queries.status()));
        r.put("/health", this::health);
        r.put("/kv", get(req -> queries.get(requireParam(req, "key").getBytes(StandardCharsets.UTF_8))));
        r.put("/kv/get-many", post(req -> queries.getMany(keysOf(req.body()))));
        r.put("/digest", get(req -> queries.digest()));
        r.put("/admin/snapshots", get(req -> queries.listSnapshots()));
        r.put("/admin/seal", post(req -> Map.of("node", node.node.id(), "sealed_seq", node.seal())));
        r.put("/admin/transition", post(req -> {
            node.transition(parseTransition(req.body()));
            return queries.status();
        }));
        r.put("/admin/lost-writes", post(req -> queries.exportLostWrites(
                Long.parseLong(requireParam(req, "fork_seq")))));
        r.put("/admin/base-values", post(this::baseValues));
        r.put("/admin/snapshot", post(req -> queries.createSnapshot(Instant.now())));
        return r;
    }

    private AdminResponse health(AdminRequest req) throws JsonProcessingException {
        boolean up = node.runtime() != null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", up ? "UP" : "DOWN");
        m.put("epoch", node.state().epoch());
        m.put("role", node.state().role().name());
        return AdminResponse.json(up ? 200 : 503, NodeClient.JSON.writeValueAsString(m));
    }

    private Map<String, Object> baseValues(AdminRequest req) throws JsonProcessingException {
        JsonNode body = NodeClient.JSON.readTree(req.body());
        long seq = body.path("fork_seq").asLong(-1);
        if (body.path("all").asBoolean(false)) {
            return queries.baseValues(null, seq);
        }
        List<byte[]> keys = new ArrayList<>();
        for (JsonNode k : body.path("keys_base64")) {
            keys.add(Base64.getDecoder().decode(k.asText()));
        }
        return queries.baseValues(keys, seq);
    }

    /** {@code {"keys": ["k1", ...]}} (UTF-8 keys). */
    private static List<byte[]> keysOf(String body) throws JsonProcessingException {
        List<byte[]> keys = new ArrayList<>();
        for (JsonNode k : NodeClient.JSON.readTree(body).path("keys")) {
            keys.add(k.asText().getBytes(StandardCharsets.UTF_8));
        }
        return keys;
    }

    /** The JSON body of {@code /admin/transition}; see {@link Transition}. */
    static Transition parseTransition(String json) throws JsonProcessingException {
        JsonNode b = NodeClient.JSON.readTree(json);
        Transition.Kind kind = Transition.Kind.valueOf(b.path("kind").asText());
        Map<StoreSeeder.KeyBytes, Optional<byte[]>> values = new HashMap<>();
        for (JsonNode v : b.path("fork_values")) {
            values.put(new StoreSeeder.KeyBytes(Base64.getDecoder().decode(v.path("key").asText())),
                    v.path("value").isNull() || v.path("value").isMissingNode() ? Optional.empty()
                            : Optional.of(Base64.getDecoder().decode(v.path("value").asText())));
        }
        List<KeyValue> full = null;
        if (b.hasNonNull("full_copy")) {
            full = new ArrayList<>();
            for (JsonNode v : b.path("full_copy")) {
                if (!v.path("value").isNull()) {
                    full.add(new KeyValue(Base64.getDecoder().decode(v.path("key").asText()),
                            Base64.getDecoder().decode(v.path("value").asText())));
                }
            }
        }
        Path snapshot = b.hasNonNull("snapshot") ? Path.of(b.path("snapshot").asText()) : null;
        return new Transition(kind, b.path("new_epoch").asLong(), b.path("failover").asBoolean(false),
                b.path("fork_seq").asLong(0), values, full, snapshot);
    }

    private static String requireParam(AdminRequest req, String name) {
        String v = req.query().get(name);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("missing query parameter '" + name + "'");
        }
        return v;
    }

    @FunctionalInterface
    private interface Handler {
        Object handle(AdminRequest req) throws Exception;
    }

    private static AdminRoute get(Handler h) {
        return req -> req.method().equals("GET") || req.method().equals("HEAD") ? answer(h, req)
                : error(405, req.method() + " " + req.path() + ": use GET");
    }

    private static AdminRoute post(Handler h) {
        return req -> req.method().equals("POST") ? answer(h, req)
                : error(405, req.method() + " " + req.path() + ": use POST");
    }

    private static AdminResponse answer(Handler h, AdminRequest req) throws JsonProcessingException {
        try {
            return AdminResponse.json(200, NodeClient.JSON.writeValueAsString(h.handle(req)));
        } catch (IllegalStateException e) {
            return error(409, e.getMessage());
        } catch (IllegalArgumentException | JsonProcessingException e) {
            return error(400, e.getMessage());
        } catch (Exception e) {
            return error(500, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static AdminResponse error(int status, String message) throws JsonProcessingException {
        return AdminResponse.json(status, NodeClient.JSON.writeValueAsString(Map.of("error",
                message == null ? "(no message)" : message)));
    }
}
