package dev.picsou.mirror.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The checks that span several fields, run on a deployment whose every value was read: site count and roles,
 * unique ids, addresses and data directories, site sizes against u and r, ordered timeouts, usable TLS stores.
 * Every failed check is reported to {@link Problems}, at the line of the field it names.
 */
final class Validator {
    private final Locations where;
    private final Problems problems;

    Validator(Locations where, Problems problems) {
        this.where = where;
        this.problems = problems;
    }

    void check(DeploymentConfig c) {
        checkSites(c.sites());
        checkNodeIds(c.sites());
        checkAddresses(c.sites());
        checkDataDirs(c.sites());
        checkRaft(c.raft());
        checkChannel(c.channel());
        checkTls(c.tls());
    }

    private void checkSites(List<SiteConfig> sites) {
        if (sites.size() != 2) {
            add("sites", "has " + sites.size() + " site" + (sites.size() == 1 ? "" : "s")
                    + "; expected exactly two (one primary, one mirror)");
        }
        Map<String, Integer> firstIndex = new HashMap<>();
        int primary = -1;
        for (int i = 0; i < sites.size(); i++) {
            SiteConfig site = sites.get(i);
            String at = "sites[" + i + "]";
            Integer first = firstIndex.putIfAbsent(site.id(), i);
            if (first != null) {
                add(at + ".id", "site id " + site.id() + " is used twice (first at line "
                        + line("sites[" + first + "].id") + "); expected unique site ids");
            }
            if (site.initialRole() == SiteRole.PRIMARY) {
                if (primary >= 0) {
                    add(at + ".role", "site " + site.id() + " is a second primary (site " + sites.get(primary).id()
                            + " at line " + line("sites[" + primary + "].role") + " is primary); expected exactly "
                            + "one primary");
                } else {
                    primary = i;
                }
            }
            checkSize(site, at);
        }
        if (primary < 0 && !sites.isEmpty()) {
            add("sites", "no site has role primary; expected exactly one primary");
        }
    }

    private void checkSize(SiteConfig site, String at) {
        long needed = 2L * site.u() + site.r() + 1;
        if (site.nodes().size() < needed) {
            add(at + ".nodes", "site " + site.id() + " has " + site.nodes().size() + " node"
                    + (site.nodes().size() == 1 ? "" : "s") + "; u=" + site.u() + ", r=" + site.r()
                    + " needs at least " + needed + " (2u+r+1)");
        }
        if (site.r() > site.u()) {
            add(at + ".r", "r=" + site.r() + " is above u=" + site.u() + "; expected r <= u (r counts the "
                    + "Byzantine failures among the u)");
        }
    }

    private void checkNodeIds(List<SiteConfig> sites) {
        Map<String, String> firstField = new HashMap<>();
        Map<String, Integer> firstSite = new HashMap<>();
        forEachNode(sites, (i, j, node, at) -> {
            String first = firstField.putIfAbsent(node.id(), at + ".id");
            if (first == null) {
                firstSite.put(node.id(), i);
                return;
            }
            SiteConfig a = sites.get(firstSite.get(node.id()));
            String where = a == sites.get(i)
                    ? " appears twice in site " + a.id() + " (first at line " + line(first) + ")"
                    : " is in two sites, " + a.id() + " (line " + line(first) + ") and " + sites.get(i).id();
            add(at + ".id", "node " + node.id() + where + "; expected node ids unique over the file");
        });
    }

    private void checkAddresses(List<SiteConfig> sites) {
        Map<String, Use> used = new HashMap<>();
        forEachNode(sites, (i, j, node, at) -> {
            List<Map.Entry<String, HostPort>> endpoints = List.of(Map.entry("raft", node.raft()),
                    Map.entry("picsou", node.picsou()), Map.entry("admin", node.admin()));
            for (Map.Entry<String, HostPort> e : endpoints) {
                String field = at + "." + e.getKey();
                String key = e.getValue().host().toLowerCase(Locale.ROOT) + ":" + e.getValue().port();
                Use first = used.putIfAbsent(key, new Use("the " + e.getKey() + " address of " + node.id(), field));
                if (first != null) {
                    add(field, e.getValue() + " is already " + first.what() + " (" + first.field() + ", line "
                            + line(first.field()) + "); expected each host:port used once");
                }
            }
        });
    }

    private void checkDataDirs(List<SiteConfig> sites) {
        List<String> seenFields = new ArrayList<>();
        List<NodeConfig> seen = new ArrayList<>();
        forEachNode(sites, (i, j, node, at) -> {
            Path dir = node.dataDir();
            for (int k = 0; k < seen.size(); k++) {
                Path other = seen.get(k).dataDir();
                String relation = dir.equals(other) ? " is already the data directory of "
                        : dir.startsWith(other) ? " is inside the data directory of "
                        : other.startsWith(dir) ? " holds the data directory of " : null;
                if (relation != null) {
                    add(at + ".data", dir + relation + seen.get(k).id() + " (line " + line(seenFields.get(k))
                            + "); expected separate data directories");
                    break;
                }
            }
            seen.add(node);
            seenFields.add(at + ".data");
        });
    }

    private void checkRaft(RaftConfig raft) {
        if (raft.electionTimeoutMax().compareTo(raft.electionTimeoutMin()) <= 0) {
            add(written("raft.election_timeout_max", "raft.election_timeout_min"), "election_timeout_max "
                    + Units.formatDuration(raft.electionTimeoutMax()) + " is not above election_timeout_min "
                    + Units.formatDuration(raft.electionTimeoutMin()) + "; expected max > min");
        }
    }

    private void checkChannel(ChannelConfig ch) {
        String expected = "; expected retransmit_timeout_min <= retransmit_timeout_initial <= retransmit_timeout_max";
        Duration initial = ch.retransmitTimeoutInitial();
        if (ch.retransmitTimeoutMin().compareTo(initial) > 0) {
            add(written("channel.retransmit_timeout_initial", "channel.retransmit_timeout_min"),
                    "retransmit_timeout_initial " + Units.formatDuration(initial) + " is below retransmit_timeout_min "
                            + Units.formatDuration(ch.retransmitTimeoutMin()) + expected);
        }
        if (initial.compareTo(ch.retransmitTimeoutMax()) > 0) {
            add(written("channel.retransmit_timeout_initial", "channel.retransmit_timeout_max"),
                    "retransmit_timeout_initial " + Units.formatDuration(initial) + " is above retransmit_timeout_max "
                            + Units.formatDuration(ch.retransmitTimeoutMax()) + expected);
        }
        if (ch.batchBytes() > ch.maxFrameBytes()) {
            add(written("channel.batch_bytes", "channel.max_frame_bytes"), "batch_bytes "
                    + Units.formatBytes(ch.batchBytes()) + " is above max_frame_bytes "
                    + Units.formatBytes(ch.maxFrameBytes()) + "; expected a batch to fit in one frame");
        }
    }

    private void checkTls(TlsConfig tls) {
        if (!tls.enabled()) {
            return;
        }
        KeyStoreCheck.problem(tls.keyStore(), tls.keyStorePassword(), "key_store_password")
                .ifPresent(p -> add("tls.key_store", p));
        KeyStoreCheck.problem(tls.trustStore(), tls.trustStorePassword(), "trust_store_password")
                .ifPresent(p -> add("tls.trust_store", p));
    }

    /** {@code preferred} if the file sets it, else {@code other}: a problem points at a line the user wrote. */
    private String written(String preferred, String other) {
        return where.has(preferred) || !where.has(other) ? preferred : other;
    }

    private int line(String field) {
        return where.lineOf(field);
    }

    private void add(String field, String message) {
        problems.add(line(field), field, message);
    }

    private static void forEachNode(List<SiteConfig> sites, NodeVisitor visitor) {
        for (int i = 0; i < sites.size(); i++) {
            List<NodeConfig> nodes = sites.get(i).nodes();
            for (int j = 0; j < nodes.size(); j++) {
                visitor.visit(i, j, nodes.get(j), "sites[" + i + "].nodes[" + j + "]");
            }
        }
    }

    /** Who holds an address first: {@code the raft address of east-1}, at {@code field}. */
    private record Use(String what, String field) {
    }

    @FunctionalInterface
    private interface NodeVisitor {
        void visit(int site, int node, NodeConfig config, String at);
    }
}
