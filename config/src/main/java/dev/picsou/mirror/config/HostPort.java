package dev.picsou.mirror.config;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A TCP endpoint as written in the file: {@code host:port}, or {@code [v6-address]:port}. The host is kept as
 * written (no name resolution) and compared as written, case-insensitively for names.
 */
public record HostPort(String host, int port) {
    private static final String EXAMPLE = "expected host:port, e.g. 127.0.0.1:17001";

    /** @throws IllegalArgumentException if the host is blank or holds whitespace, or the port is not in 1..65535 */
    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("host \"" + host + "\" is empty or holds spaces; " + EXAMPLE);
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is out of range; expected 1..65535");
        }
    }

    /**
     * Parses {@code host:port} or {@code [v6-address]:port}.
     *
     * @throws IllegalArgumentException with a message that quotes {@code s} and says what was expected
     */
    public static HostPort parse(String s) {
        Objects.requireNonNull(s, "s");
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("\"" + s + "\" has no port; " + EXAMPLE);
        }
        String host = s.substring(0, colon);
        String portText = s.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("\"" + s + "\" is not host:port; expected an IPv6 address in "
                    + "brackets, e.g. [::1]:17001");
        }
        if (!portText.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("\"" + s + "\" has no numeric port; " + EXAMPLE);
        }
        try {
            return new HostPort(host, Integer.parseInt(portText));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + s + "\": " + e.getMessage(), e);
        }
    }

    /** A resolved socket address (resolves the host name now). */
    public InetSocketAddress toSocketAddress() {
        return new InetSocketAddress(host, port);
    }

    /** {@code host:port}, with brackets around an IPv6 host; {@link #parse} reads it back. */
    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
