package dev.picsou.mirror.server.admin;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A route's answer: the HTTP status, the {@code Content-Type} and the body bytes. The server adds
 * {@code Content-Length} and {@code Cache-Control: no-store}; a {@code HEAD} request gets the headers only.
 * The body array is not copied: a route must not change it after returning it.
 *
 * @param status      HTTP status code, 100 to 599
 * @param contentType value of the {@code Content-Type} header
 * @param body        the bytes to send, empty for none
 */
public record AdminResponse(int status, String contentType, byte[] body) {

    static final String JSON = "application/json; charset=utf-8";
    static final String TEXT = "text/plain; charset=utf-8";
    static final String HTML = "text/html; charset=utf-8";

    /** Checks the status range and that neither the content type nor the body is null. */
    public AdminResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status must be 100 to 599, got " + status);
        }
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
    }

    /** {@code json}, already encoded, as {@code application/json; charset=utf-8}. */
    public static AdminResponse json(int status, String json) {
        return new AdminResponse(status, JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code text} as {@code text/plain; charset=utf-8}. */
    public static AdminResponse text(int status, String text) {
        return new AdminResponse(status, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A 200 {@code text/html; charset=utf-8} page. */
    public static AdminResponse html(String html) {
        return new AdminResponse(200, HTML, html.getBytes(StandardCharsets.UTF_8));
    }
}
