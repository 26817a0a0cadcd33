package dev.picsou.mirror.bridge.transport;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * TLS for the cross-site channel. Both ends present the key pair of {@code keyStore} and verify the other end's
 * certificate chain against {@code trustStore}, so with {@code requireClientAuth} (the default) the link is mutual
 * TLS: a client whose certificate does not chain to the trust store is refused during the handshake.
 *
 * <p>Hostname verification is off by default: nodes are addressed by IP (often loopback in tests, or addresses
 * without DNS names), and what authenticates a peer here is its certificate chaining to the private trust store of
 * the deployment, not a name. Turn it on ({@code hostnameVerification}) when certificates carry the DNS names or
 * IP addresses (SAN) that the directory uses; the client then checks the server's certificate against the host it
 * dialled. Note that the replica identity a client announces in its preamble is not bound to its certificate
 * (see the package documentation).
 *
 * @param keyStore             PKCS12 key store holding this node's private key and certificate chain
 * @param keyStorePassword     password of the key store and of the key in it
 * @param trustStore           PKCS12 store of the certificates (or CAs) this node trusts
 * @param trustStorePassword   password of the trust store
 * @param requireClientAuth    whether the server refuses clients without a trusted certificate (default true)
 * @param protocols            enabled protocol versions, in preference order (default TLSv1.3, TLSv1.2)
 * @param hostnameVerification whether the client checks the server certificate against the dialled host
 *                             (default false)
 */
public record TlsSettings(Path keyStore, char[] keyStorePassword, Path trustStore, char[] trustStorePassword,
                          boolean requireClientAuth, List<String> protocols, boolean hostnameVerification) {

    /** Protocols enabled unless configured otherwise. */
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    public TlsSettings {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(trustStore, "trustStore");
        keyStorePassword = Objects.requireNonNull(keyStorePassword, "keyStorePassword").clone();
        trustStorePassword = Objects.requireNonNull(trustStorePassword, "trustStorePassword").clone();
        protocols = List.copyOf(protocols);
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("at least one TLS protocol must be enabled");
        }
    }

    /** Mutual TLS with the defaults: client authentication required, TLSv1.3 and 1.2, no hostname check. */
    public static TlsSettings mutual(Path keyStore, char[] keyStorePassword, Path trustStore,
                                     char[] trustStorePassword) {
        return new TlsSettings(keyStore, keyStorePassword, trustStore, trustStorePassword, true, DEFAULT_PROTOCOLS,
                false);
    }

    /** A copy of the key store password. */
    @Override
    public char[] keyStorePassword() {
        return keyStorePassword.clone();
    }

    /** A copy of the trust store password. */
    @Override
    public char[] trustStorePassword() {
        return trustStorePassword.clone();
    }

    /** Same settings with hostname verification switched to {@code enabled}. */
    public TlsSettings withHostnameVerification(boolean enabled) {
        return new TlsSettings(keyStore, keyStorePassword, trustStore, trustStorePassword, requireClientAuth,
                protocols, enabled);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsSettings t && keyStore.equals(t.keyStore) && trustStore.equals(t.trustStore)
                && java.util.Arrays.equals(keyStorePassword, t.keyStorePassword)
                && java.util.Arrays.equals(trustStorePassword, t.trustStorePassword)
                && requireClientAuth == t.requireClientAuth && protocols.equals(t.protocols)
                && hostnameVerification == t.hostnameVerification;
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyStore, trustStore, requireClientAuth, protocols, hostnameVerification);
    }

    /** Never prints the passwords. */
    @Override
    public String toString() {
        return "TlsSettings[keyStore=" + keyStore + ", trustStore=" + trustStore + ", requireClientAuth="
                + requireClientAuth + ", protocols=" + protocols + ", hostnameVerification=" + hostnameVerification
                + "]";
    }
}
