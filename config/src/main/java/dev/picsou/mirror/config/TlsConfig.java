package dev.picsou.mirror.config;

import java.nio.file.Path;

/**
 * Mutual TLS on the channel between the sites ({@code tls:} in the file). When enabled, both stores are PKCS12
 * files that existed and opened with their passwords at load time; when disabled, paths and passwords are null.
 * {@link #toString()} never shows the passwords.
 *
 * @param enabled            whether the channel uses TLS
 * @param keyStore           absolute path of this deployment's key store (the node's certificate and key)
 * @param keyStorePassword   its password
 * @param trustStore         absolute path of the store of trusted certificates
 * @param trustStorePassword its password
 */
public record TlsConfig(boolean enabled, Path keyStore, String keyStorePassword, Path trustStore,
                        String trustStorePassword) {
    /** TLS off (the default). */
    public static final TlsConfig DISABLED = new TlsConfig(false, null, null, null, null);

    @Override
    public String toString() {
        return "TlsConfig[enabled=" + enabled + ", keyStore=" + keyStore + ", keyStorePassword="
                + mask(keyStorePassword) + ", trustStore=" + trustStore + ", trustStorePassword="
                + mask(trustStorePassword) + "]";
    }

    private static String mask(String password) {
        return password == null ? "null" : "***";
    }
}
