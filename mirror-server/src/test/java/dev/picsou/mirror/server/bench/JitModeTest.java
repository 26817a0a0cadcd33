package dev.picsou.mirror.server.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class JitModeTest {

    @Test
    void parsesEitherCaseAndNamesTheValidValuesOtherwise() {
        assertThat(JitMode.parse("c1")).isEqualTo(JitMode.C1);
        assertThat(JitMode.parse("C2")).isEqualTo(JitMode.C2);
        assertThatThrownBy(() -> JitMode.parse("server")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--jit must be c1 or c2, was 'server'");
    }

    @Test
    void relaunchKeepsTheClassPathAndArgumentsAndSelectsTheMode() {
        List<String> c1 = JitMode.C1.relaunchCommand("some.Main", List.of("bench", "--json"));
        assertThat(c1.get(0)).endsWith("java");
        assertThat(c1).endsWith("-cp", System.getProperty("java.class.path"), "some.Main", "bench", "--json");
        assertThat(c1).containsOnlyOnce("-XX:TieredStopAtLevel=1");

        List<String> c2 = JitMode.C2.relaunchCommand("some.Main", List.of("bench"));
        assertThat(c2).noneMatch(o -> o.startsWith("-XX:TieredStopAtLevel"));
    }

    @Test
    void aJvmStartedInAModeReportsThatMode() throws Exception {
        List<String> cmd = JitMode.C1.relaunchCommand(PrintMode.class.getName(), List.of());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String printed = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor()).isZero();
        assertThat(printed).isEqualTo("c1");
    }

    /** Prints the JIT mode of its JVM. */
    public static final class PrintMode {
        public static void main(String[] args) {
            System.out.println(JitMode.current());
        }
    }
}
