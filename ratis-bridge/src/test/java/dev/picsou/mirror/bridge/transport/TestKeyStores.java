package dev.picsou.mirror.bridge.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Key material made at test time with the JDK's {@code keytool}: one self-signed EC key pair per node. */
final class TestKeyStores {
    static final String PASSWORD = "changeit";

    private final Path dir;

    TestKeyStores(Path dir) {
        this.dir = dir;
    }

    /** A PKCS12 key store with a fresh self-signed certificate for {@code name}, valid for 127.0.0.1. */
    Path keyPair(String name) throws IOException, InterruptedException {
        Path store = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
                "-sigalg", "SHA256withECDSA", "-dname", "CN=" + name + ",O=picsou-test", "-validity", "2",
                "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", name, "-keystore", store.toString(), "-storepass", PASSWORD,
                "-file", dir.resolve(name + ".crt").toString());
        return store;
    }

    /** A PKCS12 trust store holding the certificates of {@code names} (made by {@link #keyPair} first). */
    Path trustStore(String storeName, String... names) throws IOException, InterruptedException {
        Path store = dir.resolve(storeName + ".p12");
        for (String name : names) {
            keytool("-importcert", "-noprompt", "-alias", name, "-file", dir.resolve(name + ".crt").toString(),
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD);
        }
        return store;
    }

    static TlsSettings mutual(Path keyStore, Path trustStore) {
        return TlsSettings.mutual(keyStore, PASSWORD.toCharArray(), trustStore, PASSWORD.toCharArray());
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: "
                    + new String(output, StandardCharsets.UTF_8));
        }
    }
}
