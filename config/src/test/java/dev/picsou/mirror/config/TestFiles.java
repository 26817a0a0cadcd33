package dev.picsou.mirror.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.picsou.mirror.config.ConfigException.Problem;
import java.nio.file.Path;
import java.util.List;

/** A valid two-site deployment as text, and helpers to break it in one place. */
final class TestFiles {
    /** Never read: parse() only names it in problems and resolves relative paths against /etc/picsou. */
    static final Path SOURCE = Path.of("/etc/picsou/test.yaml");

    /** 3 + 3 nodes; line numbers are asserted by the tests, so keep the layout. */
    static final String VALID = """
            name: test
            sites:
              - id: dc-east
                role: primary
                u: 1
                r: 0
                nodes:
                  - id: east-1
                    raft: 127.0.0.1:17001
                    picsou: 127.0.0.1:17101
                    admin: 127.0.0.1:17201
                    data: data/east-1
                  - id: east-2
                    raft: 127.0.0.1:17002
                    picsou: 127.0.0.1:17102
                    admin: 127.0.0.1:17202
                    data: data/east-2
                  - id: east-3
                    raft: 127.0.0.1:17003
                    picsou: 127.0.0.1:17103
                    admin: 127.0.0.1:17203
                    data: data/east-3
              - id: dc-west
                role: mirror
                nodes:
                  - id: west-1
                    raft: 127.0.0.1:18001
                    picsou: 127.0.0.1:18101
                    admin: 127.0.0.1:18201
                    data: data/west-1
                  - id: west-2
                    raft: 127.0.0.1:18002
                    picsou: 127.0.0.1:18102
                    admin: 127.0.0.1:18202
                    data: data/west-2
                  - id: west-3
                    raft: 127.0.0.1:18003
                    picsou: 127.0.0.1:18103
                    admin: 127.0.0.1:18203
                    data: data/west-3
            """;

    /** The first line after {@link #VALID}, where appended sections start. */
    static final int END = 41;

    private TestFiles() {
    }

    /** {@code yaml} with its one occurrence of {@code from} replaced by {@code to}. */
    static String replace(String yaml, String from, String to) {
        assertThat(yaml.split(java.util.regex.Pattern.quote(from), -1)).as("occurrences of " + from).hasSize(2);
        return yaml.replace(from, to);
    }

    /** The problems of a file that must not load. */
    static List<Problem> problemsOf(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, SOURCE));
        assertThat(e).as("expected problems in:%n%s", yaml).isNotNull();
        return e.problems();
    }

    /** The only problem of a file that must not load. */
    static Problem onlyProblemOf(String yaml) {
        List<Problem> problems = problemsOf(yaml);
        assertThat(problems).hasSize(1);
        return problems.get(0);
    }
}
