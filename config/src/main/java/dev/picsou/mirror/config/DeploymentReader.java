package dev.picsou.mirror.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the YAML tree into the typed records, key by key, with the defaults of docs/config.md. Every unknown key,
 * missing key, wrong type and bad value is reported; a record is built only when all its values were good.
 */
final class DeploymentReader {
    static final List<String> TOP_KEYS = List.of("name", "sites", "channel", "raft", "tls", "outbox");
    static final List<String> SITE_KEYS = List.of("id", "role", "u", "r", "durability", "nodes");
    static final List<String> DURABILITY_KEYS = List.of("mode", "sync_timeout", "on_timeout");
    static final List<String> NODE_KEYS = List.of("id", "raft", "picsou", "admin", "data");
    static final List<String> CHANNEL_KEYS = List.of("protocol", "window_entries", "window_bytes", "batch_bytes",
            "flush_interval", "phi_bits", "ack_interval", "reorder_grace", "retransmit_timeout_initial",
            "retransmit_timeout_min", "retransmit_timeout_max", "max_frame_bytes");
    static final List<String> RAFT_KEYS =
            List.of("election_timeout_min", "election_timeout_max", "segment_size", "snapshot_threshold");
    static final List<String> TLS_KEYS =
            List.of("enabled", "key_store", "key_store_password", "trust_store", "trust_store_password");
    static final List<String> OUTBOX_KEYS = List.of("disk_cap", "alarm_fraction");

    private static final String ID = "an id of letters, digits, '-' and '_'";

    private final Path source;
    private final Path baseDir;
    private final Problems problems;

    DeploymentReader(Path source, Problems problems) {
        this.source = source;
        this.baseDir = Objects.requireNonNullElse(source.toAbsolutePath().normalize().getParent(), Path.of("/"));
        this.problems = problems;
    }

    /** The deployment, or empty when anything could not be read (then it is all in {@link Problems}). */
    Optional<DeploymentConfig> read(YamlNode root) {
        int before = problems.count();
        Optional<Section> top = Section.of(root, "", TOP_KEYS, problems);
        if (top.isEmpty()) {
            return Optional.empty();
        }
        Section t = top.get();
        String name = t.text("name", defaultName(), "a name");
        List<SiteConfig> sites = t.sections("sites", SITE_KEYS, "a list of two sites").stream()
                .map(this::site).filter(Objects::nonNull).toList();
        ChannelConfig channel = t.section("channel", CHANNEL_KEYS).map(this::channel).orElse(ChannelConfig.DEFAULT);
        RaftConfig raft = t.section("raft", RAFT_KEYS).map(this::raft).orElse(RaftConfig.DEFAULT);
        TlsConfig tls = t.section("tls", TLS_KEYS).map(this::tls).orElse(TlsConfig.DISABLED);
        OutboxConfig outbox = t.section("outbox", OUTBOX_KEYS).map(this::outbox).orElse(OutboxConfig.DEFAULT);
        return problems.count() == before
                ? Optional.of(new DeploymentConfig(source, name, sites, channel, raft, tls, outbox))
                : Optional.empty();
    }

    private String defaultName() {
        Path file = source.getFileName();
        String name = file == null ? "deployment" : file.toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private SiteConfig site(Section s) {
        int before = problems.count();
        String id = s.id("id");
        SiteRole role = s.choice("role", SiteRole.class, null);
        int u = (int) s.integer("u", 1, 0, Integer.MAX_VALUE);
        int r = (int) s.integer("r", 0, 0, Integer.MAX_VALUE);
        DurabilityConfig durability =
                s.section("durability", DURABILITY_KEYS).map(this::durability).orElse(DurabilityConfig.DEFAULT);
        List<NodeConfig> nodes = s.sections("nodes", NODE_KEYS, "a list of nodes").stream()
                .map(this::node).filter(Objects::nonNull).toList();
        return problems.count() == before ? new SiteConfig(id, role, u, r, durability, nodes) : null;
    }

    private DurabilityConfig durability(Section s) {
        int before = problems.count();
        DurabilityConfig d = DurabilityConfig.DEFAULT;
        DurabilityMode mode = s.choice("mode", DurabilityMode.class, d.mode());
        Duration timeout = s.duration("sync_timeout", d.syncTimeout());
        SyncTimeoutAction onTimeout = s.choice("on_timeout", SyncTimeoutAction.class, d.onTimeout());
        return problems.count() == before ? new DurabilityConfig(mode, timeout, onTimeout) : null;
    }

    private NodeConfig node(Section s) {
        int before = problems.count();
        String id = s.id("id");
        HostPort raft = s.hostPort("raft", "127.0.0.1:17001");
        HostPort picsou = s.hostPort("picsou", "127.0.0.1:17101");
        HostPort admin = s.hostPort("admin", "127.0.0.1:17201");
        Path data = s.path("data", baseDir, true, "a directory, e.g. data/" + (id == null ? "east-1" : id));
        return problems.count() == before ? new NodeConfig(id, raft, picsou, admin, data) : null;
    }

    private ChannelConfig channel(Section s) {
        int before = problems.count();
        ChannelConfig d = ChannelConfig.DEFAULT;
        ChannelConfig c = new ChannelConfig(
                Objects.requireNonNullElse(s.oneOf("protocol", d.protocol(), ChannelConfig.PROTOCOLS), d.protocol()),
                (int) s.integer("window_entries", d.windowEntries(), 1, Integer.MAX_VALUE),
                s.bytes("window_bytes", d.windowBytes()),
                s.bytes("batch_bytes", d.batchBytes()),
                s.duration("flush_interval", d.flushInterval(), true),
                (int) s.integer("phi_bits", d.phiBits(), 64, 65_536),
                s.duration("ack_interval", d.ackInterval()),
                s.duration("reorder_grace", d.reorderGrace()),
                s.duration("retransmit_timeout_initial", d.retransmitTimeoutInitial()),
                s.duration("retransmit_timeout_min", d.retransmitTimeoutMin()),
                s.duration("retransmit_timeout_max", d.retransmitTimeoutMax()),
                s.bytes("max_frame_bytes", d.maxFrameBytes()));
        return problems.count() == before ? c : null;
    }

    private RaftConfig raft(Section s) {
        RaftConfig d = RaftConfig.DEFAULT;
        return new RaftConfig(
                s.duration("election_timeout_min", d.electionTimeoutMin()),
                s.duration("election_timeout_max", d.electionTimeoutMax()),
                s.bytes("segment_size", d.segmentSizeBytes()),
                s.integer("snapshot_threshold", d.snapshotThresholdEntries(), 1, Long.MAX_VALUE));
    }

    private TlsConfig tls(Section s) {
        int before = problems.count();
        boolean enabled = s.bool("enabled", false);
        String when = " (required when tls.enabled is true)";
        Path keyStore = s.path("key_store", baseDir, enabled, "a PKCS12 file" + when);
        String keyPassword = s.text("key_store_password", enabled ? null : "", "the key store's password" + when);
        Path trustStore = s.path("trust_store", baseDir, enabled, "a PKCS12 file" + when);
        String trustPassword =
                s.text("trust_store_password", enabled ? null : "", "the trust store's password" + when);
        if (problems.count() != before) {
            return null;
        }
        return enabled ? new TlsConfig(true, keyStore, keyPassword, trustStore, trustPassword) : TlsConfig.DISABLED;
    }

    private OutboxConfig outbox(Section s) {
        OutboxConfig d = OutboxConfig.DEFAULT;
        return new OutboxConfig(s.bytes("disk_cap", d.diskCapBytes()), s.fraction("alarm_fraction", d.alarmFraction()));
    }
}
