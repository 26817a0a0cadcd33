package dev.picsou.mirror.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One replica of a site.
 *
 * @param id      unique over the whole deployment
 * @param raft    the Ratis server endpoint (inside the site)
 * @param picsou  the Picsou channel endpoint (between sites)
 * @param admin   the admin HTTP endpoint (status, metrics, dashboard)
 * @param dataDir absolute; the file's relative paths are resolved against the file's directory
 */
public record NodeConfig(String id, HostPort raft, HostPort picsou, HostPort admin, Path dataDir) {
    public NodeConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(raft, "raft");
        Objects.requireNonNull(picsou, "picsou");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(dataDir, "dataDir");
    }
}
