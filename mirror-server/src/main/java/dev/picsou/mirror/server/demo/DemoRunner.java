package dev.picsou.mirror.server.demo;

import com.codahale.metrics.Snapshot;
import dev.picsou.mirror.bridge.hook.PrimaryHook;
import dev.picsou.mirror.server.app.KvStateMachine;
import dev.picsou.mirror.server.app.LoadGenerator;
import dev.picsou.mirror.server.embedded.EmbeddedDeployment;
import dev.picsou.mirror.server.site.LocalSite;
import dev.picsou.mirror.server.site.LocalSiteConfig;
import dev.picsou.mirror.storage.StateDigest;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The embedded demo: a 3-node primary site and a 3-node mirror site in this JVM, a write load on the primary for a
 * while with a live progress line, then a drain and a check that the mirror's KV state equals the primary's.
 * Optionally the same load against the same kind of primary site with mirroring off, for comparison.
 */
public final class DemoRunner {
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

    /**
     * @param protocol    channel protocol
     * @param duration    how long the load runs
     * @param valueBytes  bytes per value
     * @param inFlight    client writes in flight
     * @param compareBare also run the primary site without mirroring, same load
     * @param directory   a fresh directory for all data
     */
    public record Settings(String protocol, Duration duration, int valueBytes, int inFlight, boolean compareBare,
                           Path directory) {
    }

    private final Settings settings;
    private final PrintStream progress;

    /** {@code progress} gets the live line (carriage returns) and phase messages; null for none. */
    public DemoRunner(Settings settings, PrintStream progress) {
        this.settings = settings;
        this.progress = progress;
    }

    public DemoReport run() throws IOException, InterruptedException, TimeoutException {
        double bare = settings.compareBare() ? runBare() : -1;
        say("starting a 3-node primary site and a 3-node mirror site (" + settings.protocol() + ") ...");
        try (EmbeddedDeployment d = EmbeddedDeployment.start(
                EmbeddedDeployment.Options.defaults(settings.directory().resolve("mirrored"))
                        .withProtocol(settings.protocol()))) {
            LoadGenerator load = new LoadGenerator(d.primary().client(), loadSettings()).start();
            long startSeq = d.primarySeq();
            long start = System.nanoTime();
            while (System.nanoTime() - start < settings.duration().toNanos()) {
                Thread.sleep(500);
                progress(d, load, start, startSeq);
            }
            LoadGenerator.Result result = load.stop();
            long loadNanos = System.nanoTime() - start;
            long committed = d.primarySeq() - startSeq;
            say("");
            say("load stopped; draining the stream to the mirror ...");
            long drainStart = System.nanoTime();
            boolean drained = d.awaitDrained(DRAIN_TIMEOUT);
            long drainMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - drainStart);
            if (!drained) {
                say("the mirror did not catch up within " + DRAIN_TIMEOUT.toSeconds() + " s");
            }
            long primarySeq = d.primarySeq();
            Snapshot lag = quackLatency(d);
            return new DemoReport(settings.protocol(), primarySeq, d.mirrorSeqMin(), d.quackedSeq(),
                    digestsMatch(d), committed / (loadNanos / 1e9), bare,
                    lag == null ? 0 : lag.getMedian() / 1e6, lag == null ? 0 : lag.get99thPercentile() / 1e6,
                    primarySeq == 0 ? 0 : (double) d.entriesSent() / primarySeq, d.resends(),
                    result.latencyMicrosAt(50) / 1e3, result.latencyMicrosAt(99) / 1e3, result.failed(), drainMs);
        }
    }

    /** The same 3-node KV site and load, no mirroring: what the stream must not slow down. */
    private double runBare() throws IOException, InterruptedException, TimeoutException {
        say("starting a 3-node primary site without mirroring, for comparison ...");
        Path dir = settings.directory().resolve("bare");
        try (LocalSite site = new LocalSite(LocalSiteConfig.defaults("dc-bare", dir),
                node -> new KvStateMachine(node.dataDirectory().resolve("kv")))) {
            site.start();
            LoadGenerator load = new LoadGenerator(site.client(), loadSettings()).start();
            long start = System.nanoTime();
            Thread.sleep(settings.duration().toMillis());
            LoadGenerator.Result r = load.stop();
            double perS = r.acked() / ((System.nanoTime() - start) / 1e9);
            say(String.format(Locale.ROOT, "without mirroring: %.0f writes/s", perS));
            return perS;
        }
    }

    private LoadGenerator.Settings loadSettings() {
        return LoadGenerator.Settings.forDuration(LoadGenerator.Settings.UNLIMITED)
                .withMaxInFlight(settings.inFlight())
                .withValueBytes(settings.valueBytes());
    }

    private void progress(EmbeddedDeployment d, LoadGenerator load, long start, long startSeq) {
        if (progress == null) {
            return;
        }
        long committed = d.primarySeq();
        long quacked = d.quackedSeq();
        long mirrored = d.mirrorSeq();
        long lagMs = 0;
        for (int i = 0; i < d.primary().size(); i++) {
            PrimaryHook h = d.primaryHook(i);
            if (h != null) {
                lagMs = Math.max(lagMs, h.link().lagMillis());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.printf(Locale.ROOT, "\rcommitted %,d | quacked %,d | mirror %,d | lag %,d entries %,d ms | %,.0f writes/s   ",
                committed, quacked, mirrored, committed - quacked, lagMs, (committed - startSeq) / seconds);
        progress.flush();
    }

    private static Snapshot quackLatency(EmbeddedDeployment d) {
        return d.quackLatency(Math.max(0, d.primary().leaderIndex()));
    }

    /** Every mirror replica's KV state equals every primary replica's (all at the same, drained seq). */
    private static boolean digestsMatch(EmbeddedDeployment d) {
        StateDigest reference = d.primaryDigest(0);
        for (int i = 1; i < d.primary().size(); i++) {
            if (!d.primaryDigest(i).sameStateAs(reference)) {
                return false;
            }
        }
        for (int i = 0; i < d.mirror().size(); i++) {
            if (!d.mirrorDigest(i).sameStateAs(reference)) {
                return false;
            }
        }
        return true;
    }

    private void say(String line) {
        if (progress != null) {
            progress.println(line);
            progress.flush();
        }
    }
}
