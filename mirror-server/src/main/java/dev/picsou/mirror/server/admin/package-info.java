/**
 * The per-node admin HTTP endpoint: {@link dev.picsou.mirror.server.admin.AdminHttpServer} on the JDK's HTTP
 * server, serving routes ({@link dev.picsou.mirror.server.admin.AdminRoute}) by exact path, with built-in
 * {@code /metrics} (Prometheus text format), {@code /health} and a live dashboard at {@code /} that polls
 * {@code /status}.
 */
package dev.picsou.mirror.server.admin;
