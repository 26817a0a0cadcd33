package dev.picsou.mirror.config;

import static dev.picsou.mirror.config.TestFiles.END;
import static dev.picsou.mirror.config.TestFiles.VALID;
import static dev.picsou.mirror.config.TestFiles.onlyProblemOf;
import static dev.picsou.mirror.config.TestFiles.problemsOf;
import static dev.picsou.mirror.config.TestFiles.replace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.picsou.mirror.config.ConfigException.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each check of docs/config.md, with the line and field path of the problem it reports (lines of VALID). */
class ConfigProblemsTest {

    private static void assertProblem(Problem p, int line, String field, String message) {
        assertThat(p.line()).as("line of %s", p).isEqualTo(line);
        assertThat(p.field()).as("field of %s", p).isEqualTo(field);
        assertThat(p.message()).as("message of %s", p).isEqualTo(message);
    }

    @Test
    void problemReadsAsFileLineFieldMessage() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(
                VALID + "channel:\n  flush_interval: 5 parsecs\n", TestFiles.SOURCE));
        assertThat(e.getMessage()).isEqualTo("/etc/picsou/test.yaml:" + (END + 1) + ": channel.flush_interval: "
                + "\"5 parsecs\" is not a duration; expected e.g. 250ms, 2s, 1m (units ns, us, ms, s, m, h)");
    }

    @Test
    void unknownKeyIsNamedWithTheAllowedKeysAndTheLikelyTypo() {
        Problem p = onlyProblemOf(VALID + "channel:\n  protocol: ll\n  windw_bytes: 1MiB\n");
        assertProblem(p, END + 2, "channel.windw_bytes", "unknown key; expected one of protocol, window_entries, "
                + "window_bytes, batch_bytes, flush_interval, phi_bits, ack_interval, reorder_grace, "
                + "retransmit_timeout_initial, retransmit_timeout_min, retransmit_timeout_max, max_frame_bytes "
                + "(did you mean window_bytes?)");
    }

    @Test
    void unknownKeyInANodeIsReportedAtItsLine() {
        Problem p = onlyProblemOf(replace(VALID, "data: data/west-2", "data: data/west-2\n        port: 9"));
        assertThat(p.line()).isEqualTo(36);
        assertThat(p.field()).isEqualTo("sites[1].nodes[1].port");
        assertThat(p.message()).startsWith("unknown key; expected one of id, raft, picsou, admin, data");
    }

    @Test
    void missingRequiredKeyIsReportedAtTheItemThatLacksIt() {
        Problem p = onlyProblemOf(replace(VALID, "        admin: 127.0.0.1:17202\n", ""));
        assertProblem(p, 13, "sites[0].nodes[1].admin", "missing; expected host:port, e.g. 127.0.0.1:17201");
    }

    @Test
    void missingRoleListsTheRoles() {
        Problem p = onlyProblemOf(replace(VALID, "    role: mirror\n", ""));
        assertProblem(p, 23, "sites[1].role", "missing; expected one of primary, mirror");
    }

    @Test
    void wrongTypeSaysWhatWasFoundAndWhatWasExpected() {
        String yaml = VALID.substring(0, VALID.indexOf("    nodes:\n      - id: west-1")) + "    nodes: many\n";
        List<Problem> problems = problemsOf(replace(yaml, "    u: 1\n", "    u: one\n") + "raft: [1s, 2s]\n");
        assertThat(problems).hasSize(3);
        assertProblem(problems.get(0), 5, "sites[0].u", "\"one\" is not an integer; expected an integer >= 0");
        assertProblem(problems.get(1), 25, "sites[1].nodes", "\"many\" is not a list; expected a list of nodes");
        assertProblem(problems.get(2), 26, "raft", "a list is not a mapping; expected a mapping with keys "
                + "election_timeout_min, election_timeout_max, segment_size, snapshot_threshold");
    }

    @Test
    void badEnumValueListsTheAllowedOnes() {
        List<Problem> problems = problemsOf(replace(VALID, "role: primary", "role: leader")
                + "channel:\n  protocol: carrier-pigeon\n");
        assertProblem(problems.get(0), 4, "sites[0].role", "\"leader\" is not allowed; expected one of primary, mirror");
        assertProblem(problems.get(1), END + 1, "channel.protocol",
                "\"carrier-pigeon\" is not allowed; expected one of picsou, ata, ll, otu, ost");
    }

    @Test
    void badDurabilityValuesAreNamed() {
        List<Problem> problems = problemsOf(replace(VALID, "    r: 0\n",
                "    r: 0\n    durability:\n      mode: eventually\n      on_timeout: panic\n"));
        assertProblem(problems.get(0), 8, "sites[0].durability.mode",
                "\"eventually\" is not allowed; expected one of async, sync");
        assertProblem(problems.get(1), 9, "sites[0].durability.on_timeout",
                "\"panic\" is not allowed; expected one of keep-blocking, degrade");
    }

    @Test
    void badIdCharactersAreRejected() {
        Problem p = onlyProblemOf(replace(VALID, "id: west-2", "id: west 2"));
        assertProblem(p, 31, "sites[1].nodes[1].id", "\"west 2\" is not a valid id; expected letters, digits, '-' and '_'");
    }

    @Test
    void duplicateSiteIdPointsBackAtTheFirst() {
        Problem p = onlyProblemOf(replace(VALID, "id: dc-west", "id: dc-east"));
        assertProblem(p, 23, "sites[1].id",
                "site id dc-east is used twice (first at line 3); expected unique site ids");
    }

    @Test
    void nodeIdInBothSitesNamesBothSites() {
        Problem p = onlyProblemOf(replace(VALID, "id: west-1", "id: east-1"));
        assertProblem(p, 26, "sites[1].nodes[0].id",
                "node east-1 is in two sites, dc-east (line 8) and dc-west; expected node ids unique over the file");
    }

    @Test
    void nodeIdTwiceInOneSiteNamesTheSite() {
        Problem p = onlyProblemOf(replace(VALID, "id: east-3", "id: east-1"));
        assertProblem(p, 18, "sites[0].nodes[2].id",
                "node east-1 appears twice in site dc-east (first at line 8); expected node ids unique over the file");
    }

    @Test
    void sameHostPortAnywhereIsReportedWithItsFirstUse() {
        Problem p = onlyProblemOf(replace(VALID, "picsou: 127.0.0.1:18102", "picsou: 127.0.0.1:17001"));
        assertProblem(p, 33, "sites[1].nodes[1].picsou", "127.0.0.1:17001 is already the raft address of east-1 "
                + "(sites[0].nodes[0].raft, line 9); expected each host:port used once");
    }

    @Test
    void sameAddressWithinANodeIsReported() {
        Problem p = onlyProblemOf(replace(VALID, "admin: 127.0.0.1:17203", "admin: LOCALHOST:17103")
                .replace("picsou: 127.0.0.1:17103", "picsou: localhost:17103"));
        assertProblem(p, 21, "sites[0].nodes[2].admin", "LOCALHOST:17103 is already the picsou address of east-3 "
                + "(sites[0].nodes[2].picsou, line 20); expected each host:port used once");
    }

    @Test
    void portOutsideTheRangeIsReported() {
        List<Problem> problems = problemsOf(replace(replace(VALID, "127.0.0.1:17201", "127.0.0.1:70000"),
                "127.0.0.1:18003", "127.0.0.1:0"));
        assertProblem(problems.get(0), 11, "sites[0].nodes[0].admin",
                "\"127.0.0.1:70000\": port 70000 is out of range; expected 1..65535");
        assertProblem(problems.get(1), 37, "sites[1].nodes[2].raft",
                "\"127.0.0.1:0\": port 0 is out of range; expected 1..65535");
    }

    @Test
    void addressWithoutPortIsReported() {
        Problem p = onlyProblemOf(replace(VALID, "raft: 127.0.0.1:18001", "raft: 127.0.0.1"));
        assertProblem(p, 27, "sites[1].nodes[0].raft",
                "\"127.0.0.1\" has no port; expected host:port, e.g. 127.0.0.1:17001");
    }

    @Test
    void twoPrimariesAreReportedAtTheSecond() {
        Problem p = onlyProblemOf(replace(VALID, "role: mirror", "role: primary"));
        assertProblem(p, 24, "sites[1].role", "site dc-west is a second primary (site dc-east at line 4 is primary);"
                + " expected exactly one primary");
    }

    @Test
    void noPrimaryIsReportedAtSites() {
        Problem p = onlyProblemOf(replace(VALID, "role: primary", "role: mirror"));
        assertProblem(p, 2, "sites", "no site has role primary; expected exactly one primary");
    }

    @Test
    void notExactlyTwoSitesIsReported() {
        String oneSite = VALID.substring(0, VALID.indexOf("  - id: dc-west"));
        assertProblem(onlyProblemOf(oneSite), 2, "sites", "has 1 site; expected exactly two (one primary, one mirror)");

        String third = VALID.substring(VALID.indexOf("  - id: dc-west")).replace("dc-west", "dc-north")
                .replace("west-", "north-").replace(": 127.0.0.1:18", ": 127.0.0.1:19");
        assertProblem(onlyProblemOf(VALID + third), 2, "sites",
                "has 3 sites; expected exactly two (one primary, one mirror)");
    }

    @Test
    void siteTooSmallForItsFaultsStatesTheBound() {
        String yaml = VALID.substring(0, VALID.indexOf("      - id: east-3"))
                + VALID.substring(VALID.indexOf("  - id: dc-west"));
        assertProblem(onlyProblemOf(yaml), 7, "sites[0].nodes",
                "site dc-east has 2 nodes; u=1, r=0 needs at least 3 (2u+r+1)");
    }

    @Test
    void byzantineFaultsAboveUAreReported() {
        List<Problem> problems = problemsOf(replace(VALID, "r: 0", "r: 2"));
        assertProblem(problems.get(0), 6, "sites[0].r",
                "r=2 is above u=1; expected r <= u (r counts the Byzantine failures among the u)");
        assertProblem(problems.get(1), 7, "sites[0].nodes",
                "site dc-east has 3 nodes; u=1, r=2 needs at least 5 (2u+r+1)");
    }

    @Test
    void electionTimeoutMaxMustBeAboveMin() {
        Problem p = onlyProblemOf(VALID + "raft:\n  election_timeout_min: 3s\n");
        assertProblem(p, END + 1, "raft.election_timeout_min",
                "election_timeout_max 2s is not above election_timeout_min 3s; expected max > min");
        Problem both = onlyProblemOf(VALID + "raft:\n  election_timeout_min: 1s\n  election_timeout_max: 1000ms\n");
        assertThat(both.line()).isEqualTo(END + 2);
        assertThat(both.field()).isEqualTo("raft.election_timeout_max");
    }

    @Test
    void retransmitTimeoutsMustBeOrdered() {
        List<Problem> problems = problemsOf(VALID + """
                channel:
                  retransmit_timeout_min: 1s
                """);
        assertProblem(problems.get(0), END + 1, "channel.retransmit_timeout_min", "retransmit_timeout_initial 500ms"
                + " is below retransmit_timeout_min 1s; expected retransmit_timeout_min <= retransmit_timeout_initial"
                + " <= retransmit_timeout_max");

        Problem above = onlyProblemOf(VALID + "channel:\n  retransmit_timeout_initial: 20s\n");
        assertThat(above.line()).isEqualTo(END + 1);
        assertThat(above.field()).isEqualTo("channel.retransmit_timeout_initial");
        assertThat(above.message()).startsWith("retransmit_timeout_initial 20s is above retransmit_timeout_max 10s");
    }

    @Test
    void phiBitsOutsideItsRangeIsReported() {
        Problem p = onlyProblemOf(VALID + "channel:\n  phi_bits: 32\n");
        assertProblem(p, END + 1, "channel.phi_bits", "32 is out of range; expected an integer in 64..65536");
    }

    @Test
    void sizesAndDurationsMustBePositive() {
        List<Problem> problems = problemsOf(VALID + """
                channel:
                  window_bytes: 0
                  ack_interval: 0ms
                  window_entries: 0
                outbox:
                  disk_cap: 0GiB
                  alarm_fraction: 1.5
                """);
        assertThat(problems).extracting(Problem::line).containsExactly(END + 1, END + 2, END + 3, END + 5, END + 6);
        assertProblem(problems.get(0), END + 1, "channel.window_bytes", "\"0\" is not positive; expected a size above zero");
        assertProblem(problems.get(1), END + 2, "channel.ack_interval",
                "\"0ms\" is not positive; expected a duration above zero");
        assertProblem(problems.get(2), END + 3, "channel.window_entries", "0 is out of range; expected an integer >= 1");
        assertThat(problems.get(3).field()).isEqualTo("outbox.disk_cap");
        assertProblem(problems.get(4), END + 6, "outbox.alarm_fraction",
                "1.5 is out of range; expected a number in (0, 1], e.g. 0.8");
    }

    @Test
    void flushIntervalMayBeZeroWhereOtherDurationsMayNot() throws Exception {
        DeploymentConfig config = ConfigLoader.parse(VALID + "channel:\n  flush_interval: 0s\n", TestFiles.SOURCE);
        assertThat(config.channel().flushInterval()).isZero();

        Problem p = onlyProblemOf(VALID + "channel:\n  reorder_grace: 0s\n");
        assertProblem(p, END + 1, "channel.reorder_grace", "\"0s\" is not positive; expected a duration above zero");
    }

    @Test
    void badSizeUnitIsNamed() {
        Problem p = onlyProblemOf(VALID + "raft:\n  segment_size: 8 megs\n");
        assertProblem(p, END + 1, "raft.segment_size", "\"8 megs\" is not a byte size; expected e.g. 4096, 256KiB, "
                + "64MiB, 1GB (units B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)");
    }

    @Test
    void batchMustFitInAFrame() {
        Problem p = onlyProblemOf(VALID + "channel:\n  batch_bytes: 32MiB\n");
        assertProblem(p, END + 1, "channel.batch_bytes",
                "batch_bytes 32MiB is above max_frame_bytes 16MiB; expected a batch to fit in one frame");
    }

    @Test
    void sharedOrNestedDataDirectoriesAreReported() {
        List<Problem> problems = problemsOf(replace(replace(VALID, "data: data/east-2", "data: ./data/east-1"),
                "data: data/west-1", "data: data/east-3/west"));
        assertProblem(problems.get(0), 17, "sites[0].nodes[1].data", "/etc/picsou/data/east-1 is already the data "
                + "directory of east-1 (line 12); expected separate data directories");
        assertProblem(problems.get(1), 30, "sites[1].nodes[0].data", "/etc/picsou/data/east-3/west is inside the "
                + "data directory of east-3 (line 22); expected separate data directories");
    }

    @Test
    void enabledTlsWithMissingStoresNamesTheResolvedPaths() {
        List<Problem> problems = problemsOf(VALID + """
                tls:
                  enabled: true
                  key_store: certs/node.p12
                  key_store_password: changeit
                  trust_store: /nonexistent/trust.p12
                  trust_store_password: changeit
                """);
        assertProblem(problems.get(0), END + 2, "tls.key_store",
                "/etc/picsou/certs/node.p12 does not exist; expected a readable PKCS12 file");
        assertProblem(problems.get(1), END + 4, "tls.trust_store",
                "/nonexistent/trust.p12 does not exist; expected a readable PKCS12 file");
    }

    @Test
    void enabledTlsNeedsStoresAndPasswords() {
        List<Problem> problems = problemsOf(VALID + "tls:\n  enabled: true\n");
        assertThat(problems).extracting(Problem::field).containsExactly("tls.key_store", "tls.key_store_password",
                "tls.trust_store", "tls.trust_store_password");
        assertThat(problems).extracting(Problem::line).containsOnly(END + 1);
        assertThat(problems.get(0).message())
                .isEqualTo("missing; expected a PKCS12 file (required when tls.enabled is true)");
    }

    @Test
    void keyStoreThatDoesNotOpenWithItsPasswordIsReported(@TempDir Path dir) throws Exception {
        KeyStores.writeEmpty(dir.resolve("node.p12"), "right");
        KeyStores.writeEmpty(dir.resolve("trust.p12"), "right");
        Files.writeString(dir.resolve("not-a-store.p12"), "hello");
        Path file = dir.resolve("d.yaml");
        Files.writeString(file, VALID + """
                tls:
                  enabled: true
                  key_store: node.p12
                  key_store_password: wrong
                  trust_store: not-a-store.p12
                  trust_store_password: right
                """);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));
        assertThat(e.problems()).extracting(Problem::field).containsExactly("tls.key_store", "tls.trust_store");
        assertThat(e.problems().get(0).message()).startsWith(dir.resolve("node.p12") + " does not open with "
                + "key_store_password (").endsWith("); expected a PKCS12 file and its password");
        assertThat(e.problems().get(1).message()).contains("not-a-store.p12 does not open with trust_store_password");
    }

    @Test
    void severalProblemsAreReportedTogetherInLineOrder() {
        String broken = replace(replace(VALID, "id: west-3", "id: east-2"), "admin: 127.0.0.1:18201",
                "admin: 127.0.0.1:17101") + "raft:\n  election_timeout_max: 500ms\n";
        String yaml = broken.substring(0, broken.indexOf("      - id: east-3"))
                + broken.substring(broken.indexOf("  - id: dc-west"));
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, TestFiles.SOURCE));

        assertThat(e.problems()).extracting(Problem::line, Problem::field).containsExactly(
                tuple(7, "sites[0].nodes"),
                tuple(24, "sites[1].nodes[0].admin"),
                tuple(31, "sites[1].nodes[2].id"),
                tuple(37, "raft.election_timeout_max"));
        assertThat(e.getMessage().lines()).hasSize(4);
    }

    @Test
    void readingProblemsAreAllReportedTogether() {
        List<Problem> problems = problemsOf(replace(replace(VALID, "    u: 1\n", "    u: -1\n"), "raft: 127.0.0.1:18002",
                "raft: nowhere") + "channel:\n  flush_interval: soon\n  bogus: 1\n");
        assertThat(problems).extracting(Problem::field).containsExactly("sites[0].u", "sites[1].nodes[1].raft",
                "channel.flush_interval", "channel.bogus");
    }

    @Test
    void emptyOrCommentOnlyFileIsReported() {
        for (String empty : List.of("", "# nothing yet\n", "~\n")) {
            assertProblem(onlyProblemOf(empty), 1, "",
                    "the file is empty; expected a mapping with keys name, sites, channel, raft, tls, outbox");
        }
    }

    @Test
    void fileThatIsNotAMappingIsReported() {
        assertProblem(onlyProblemOf("- a\n- b\n"), 1, "",
                "a list is not a mapping; expected a mapping with keys name, sites, channel, raft, tls, outbox");
        assertProblem(onlyProblemOf("just words\n"), 1, "",
                "\"just words\" is not a mapping; expected a mapping with keys name, sites, channel, raft, tls, outbox");
    }

    @Test
    void yamlSyntaxErrorNamesTheLineOfTheProblem() {
        Problem p = onlyProblemOf(replace(VALID, "    role: mirror\n", "    role: mirror\n\tu: 1\n"));
        assertThat(p.line()).isEqualTo(25);
        assertThat(p.field()).isEmpty();
        assertThat(p.message()).startsWith("YAML syntax error: found character '\\t(TAB)' that cannot start any token")
                .endsWith("; expected valid YAML");
    }

    @Test
    void duplicateKeyPointsBackAtTheFirst() {
        Problem p = onlyProblemOf(replace(VALID, "    u: 1\n", "    u: 1\n    u: 2\n"));
        assertProblem(p, 6, "sites[0].u", "duplicate key (first at line 5); expected each key once per mapping");
    }

    @Test
    void aliasesAndSecondDocumentsAreRefused() {
        Problem alias = onlyProblemOf(replace(VALID, "name: test", "name: &n test") + "outbox:\n  disk_cap: *n\n");
        assertProblem(alias, END + 1, "outbox.disk_cap",
                "aliases (*n) are not supported; expected the value written out");
        Problem second = onlyProblemOf(VALID + "---\nname: again\n");
        assertThat(second.line()).isEqualTo(END + 1);
        assertThat(second.message()).startsWith("a second YAML document starts here");
    }

    @Test
    void unreadableFileIsOneProblemWithoutLine(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(missing));
        assertThat(e.getMessage()).isEqualTo(missing + ": no such file; expected a readable YAML file");
        ConfigException directory = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(dir));
        assertThat(directory.getMessage()).isEqualTo(dir + ": is a directory; expected a YAML file");
    }
}
