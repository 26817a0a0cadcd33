package dev.picsou.mirror.server.bench.jmh;

import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.FencedFrame;
import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.picsou.ActionSink;
import dev.picsou.mirror.bridge.picsou.Picsou;
import dev.picsou.mirror.bridge.picsou.PicsouParams;
import dev.picsou.mirror.bridge.picsou.StreamReceiver;
import dev.picsou.mirror.bridge.picsou.StreamSender;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pure Picsou core with no I/O: {@code n} senders ({@code PicsouSender} through {@link Picsou#INSTANCE}) and
 * {@code n} receivers in one thread, frames passed through in-memory queues, the receiving site modelled as
 * committing and persisting every delivered entry at once. Every sender is fed every entry (as every primary
 * replica is), every receiver hears of every commit. The score is stream entries per second: each entry counted
 * once, after all {@code 2n} engines handled it. Each iteration checks that every entry was delivered once and
 * QUACKed on every sender, so a fast wrong engine fails instead of scoring.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CoreBenchmark {
    static final int BATCH = 1024;
    private static final long STEP_NANOS = 1_000_000L;

    @Param({"3", "5"})
    public int replicas;

    @Param({"100", "10240"})
    public int entryBytes;

    private StreamSender[] senders;
    private StreamReceiver[] receivers;
    private ActionSink[] senderSinks;
    private ActionSink[] receiverSinks;
    private final ArrayDeque<Frame> toReceivers = new ArrayDeque<>();
    private final ArrayDeque<Frame> toSenders = new ArrayDeque<>();
    private final BitSet held = new BitSet();
    private byte[] payload;
    private int crc;
    private long seq;
    private long durable;
    private long delivered;
    private long now;

    @Setup(Level.Iteration)
    public void setUp() {
        PicsouParams params = PicsouParams.builder(replicas, replicas).build();
        payload = new byte[entryBytes];
        new SplittableRandom(3).nextBytes(payload);
        crc = Entry.checksum(payload);
        senders = new StreamSender[replicas];
        receivers = new StreamReceiver[replicas];
        senderSinks = new ActionSink[replicas];
        receiverSinks = new ActionSink[replicas];
        for (int i = 0; i < replicas; i++) {
            senders[i] = Picsou.INSTANCE.newSender(i, params, 0);
            receivers[i] = Picsou.INSTANCE.newReceiver(i, params);
            senderSinks[i] = new Sink(toReceivers);
            receiverSinks[i] = new Sink(toSenders);
        }
        toReceivers.clear();
        toSenders.clear();
        held.clear();
        seq = 0;
        durable = 0;
        delivered = 0;
        now = 1_000_000_000L;
    }

    /** {@value #BATCH} entries committed on every sender, then the link runs until it is quiet. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long stream() {
        for (int k = 0; k < BATCH; k++) {
            Entry e = new Entry(1, ++seq, 1, seq, payload, crc);
            for (int i = 0; i < replicas; i++) {
                senders[i].onEntryCommitted(e, now, senderSinks[i]);
            }
        }
        for (int round = 0; round < 8 && quackedMin() < seq; round++) {
            now += STEP_NANOS;
            for (int i = 0; i < replicas; i++) {
                senders[i].onTick(now, senderSinks[i]);
            }
            route();
            for (int i = 0; i < replicas; i++) {
                receivers[i].onTick(now, receiverSinks[i]);
            }
            route();
        }
        return durable;
    }

    @TearDown(Level.Iteration)
    public void check() {
        for (int round = 0; round < 1000 && quackedMin() < seq; round++) {
            now += STEP_NANOS;
            for (int i = 0; i < replicas; i++) {
                senders[i].onTick(now, senderSinks[i]);
                receivers[i].onTick(now, receiverSinks[i]);
            }
            route();
        }
        if (delivered != seq || durable != seq || quackedMin() != seq) {
            throw new IllegalStateException("the core lost the stream: committed " + seq + ", delivered "
                    + delivered + ", durable " + durable + ", QUACKed " + quackedMin());
        }
    }

    private long quackedMin() {
        long min = Long.MAX_VALUE;
        for (StreamSender s : senders) {
            min = Math.min(min, s.quackedSeq());
        }
        return min;
    }

    private void route() {
        while (!toReceivers.isEmpty() || !toSenders.isEmpty()) {
            Frame f;
            while ((f = toReceivers.poll()) != null) {
                receivers[f.to()].onFrame(f, now, receiverSinks[f.to()]);
            }
            while ((f = toSenders.poll()) != null) {
                senders[f.to()].onFrame(f, now, senderSinks[f.to()]);
            }
        }
    }

    /** Delivery commits on the modelled site at once; every receiver hears of it. */
    private void onDelivered(long s) {
        if (held.get((int) s)) {
            return;
        }
        held.set((int) s);
        delivered++;
        long before = durable;
        while (held.get((int) (durable + 1))) {
            durable++;
        }
        for (int i = 0; i < replicas; i++) {
            receivers[i].onSiteCommitted(s, now, receiverSinks[i]);
            if (durable > before) {
                receivers[i].onDurable(durable, now, receiverSinks[i]);
            }
        }
    }

    private final class Sink implements ActionSink {
        private final ArrayDeque<Frame> queue;

        Sink(ArrayDeque<Frame> queue) {
            this.queue = queue;
        }

        @Override
        public boolean send(int peer, Frame frame) {
            queue.add(frame);
            return true;
        }

        @Override
        public void deliver(Entry entry) {
            onDelivered(entry.seq());
        }

        @Override
        public void quacked(long s) {
            // the senders' quackedSeq() says it
        }

        @Override
        public void fenced(FencedFrame refusal) {
            throw new IllegalStateException("fenced in a benchmark: " + refusal);
        }

        @Override
        public void refused(int peer, String reason) {
            throw new IllegalStateException("a frame was refused: " + reason);
        }
    }
}
