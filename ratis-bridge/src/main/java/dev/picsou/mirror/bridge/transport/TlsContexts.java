package dev.picsou.mirror.bridge.transport;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/** The server and client {@link SslContext}s of one {@link TlsSettings}, built once at start. */
record TlsContexts(SslContext server, SslContext client) {

    /**
     * Loads the stores and builds both contexts with the JDK provider.
     *
     * @throws TransportException naming the store that could not be read
     */
    static TlsContexts build(TlsSettings settings) {
        KeyManagerFactory kmf = keyManagers(settings);
        TrustManagerFactory tmf = trustManagers(settings);
        try {
            SslContext server = SslContextBuilder.forServer(kmf)
                    .trustManager(tmf)
                    .clientAuth(settings.requireClientAuth() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL)
                    .protocols(settings.protocols())
                    .sslProvider(SslProvider.JDK)
                    .build();
            SslContext client = SslContextBuilder.forClient()
                    .keyManager(kmf)
                    .trustManager(tmf)
                    .protocols(settings.protocols())
                    .sslProvider(SslProvider.JDK)
                    // null disables the JDK's endpoint identification (Netty 4.2 turns it on by default).
                    .endpointIdentificationAlgorithm(settings.hostnameVerification() ? "HTTPS" : null)
                    .build();
            return new TlsContexts(server, client);
        } catch (SSLException e) {
            throw new TransportException("cannot build TLS contexts from " + settings + ": " + e.getMessage(), e);
        }
    }

    private static KeyManagerFactory keyManagers(TlsSettings settings) {
        char[] password = settings.keyStorePassword();
        try {
            KeyStore store = load(settings.keyStore(), password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            return kmf;
        } catch (IOException | GeneralSecurityException e) {
            throw new TransportException("cannot read key store " + settings.keyStore() + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static TrustManagerFactory trustManagers(TlsSettings settings) {
        char[] password = settings.trustStorePassword();
        try {
            KeyStore store = load(settings.trustStore(), password);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return tmf;
        } catch (IOException | GeneralSecurityException e) {
            throw new TransportException("cannot read trust store " + settings.trustStore() + ": "
                    + e.getMessage(), e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static KeyStore load(Path path, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, password);
        }
        return store;
    }
}
