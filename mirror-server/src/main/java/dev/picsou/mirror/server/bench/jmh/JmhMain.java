package dev.picsou.mirror.server.bench.jmh;

/** Where the JMH benchmarks live: {@code picsou microbench} runs JMH over this package. */
public final class JmhMain {
    /** The regular expression that selects this package's benchmarks. */
    public static final String INCLUDE = JmhMain.class.getPackageName().replace(".", "\\.") + "\\..*";

    private JmhMain() {
    }
}
