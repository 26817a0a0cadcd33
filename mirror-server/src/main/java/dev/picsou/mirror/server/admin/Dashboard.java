package dev.picsou.mirror.server.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The live dashboard served at {@code /}: one self-contained page ({@code dashboard.html} next to this class, no
 * external assets) whose script fetches {@code /status} one second after each answer and shows the JSON object
 * it gets: top-level scalars in one table, each nested object or array in a table of its own, any field it does
 * not know shown the same way.
 */
final class Dashboard {

    /** The page, read once. */
    static final String HTML = load();

    private Dashboard() {
    }

    private static String load() {
        try (InputStream in = Dashboard.class.getResourceAsStream("dashboard.html")) {
            if (in == null) {
                throw new IllegalStateException("dashboard.html missing from the class path next to "
                        + Dashboard.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading dashboard.html", e);
        }
    }
}
