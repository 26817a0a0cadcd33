package dev.picsou.mirror.server.admin;

import java.util.Map;
import java.util.Objects;

/**
 * One request as a route sees it.
 *
 * @param method the HTTP method as sent ({@code GET}, {@code POST}, ...)
 * @param path   the decoded path, always starting with {@code /}, without the query
 * @param query  the decoded query parameters; a parameter without {@code =} maps to {@code ""}, and of repeated
 *               names the first wins; unmodifiable
 * @param body   the request body decoded as UTF-8, {@code ""} when there is none
 */
public record AdminRequest(String method, String path, Map<String, String> query, String body) {

    /** Checks for nulls and copies {@code query}. */
    public AdminRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = Map.copyOf(query);
        Objects.requireNonNull(body, "body");
    }
}
