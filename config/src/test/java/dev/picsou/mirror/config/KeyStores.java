package dev.picsou.mirror.config;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;

/** Writes PKCS12 files for TLS tests. */
final class KeyStores {
    private KeyStores() {
    }

    /** An empty PKCS12 store protected by {@code password}. */
    static void writeEmpty(Path file, String password) throws Exception {
        Files.createDirectories(file.getParent());
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
    }
}
