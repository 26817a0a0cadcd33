package dev.picsou.mirror.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;

/** Whether a PKCS12 store named in the file can be used: it exists, is a readable file and opens. */
final class KeyStoreCheck {
    private KeyStoreCheck() {
    }

    /**
     * What is wrong with {@code store}, or empty when it opens with {@code password}.
     *
     * @param passwordKey the key that holds the password, for the message
     */
    static Optional<String> problem(Path store, String password, String passwordKey) {
        String expected = "; expected a readable PKCS12 file";
        if (!Files.exists(store)) {
            return Optional.of(store + " does not exist" + expected);
        }
        if (!Files.isRegularFile(store)) {
            return Optional.of(store + " is not a regular file" + expected);
        }
        if (!Files.isReadable(store)) {
            return Optional.of(store + " is not readable" + expected);
        }
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore.getInstance("PKCS12").load(in, password.toCharArray());
            return Optional.empty();
        } catch (IOException | GeneralSecurityException e) {
            return Optional.of(store + " does not open with " + passwordKey + " (" + e.getMessage()
                    + "); expected a PKCS12 file and its password");
        }
    }
}
