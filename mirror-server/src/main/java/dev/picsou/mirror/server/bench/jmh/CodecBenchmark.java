package dev.picsou.mirror.server.bench.jmh;

import dev.picsou.mirror.bridge.model.AckFrame;
import dev.picsou.mirror.bridge.model.DataFrame;
import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.model.Mac;
import dev.picsou.mirror.bridge.model.PhiList;
import dev.picsou.mirror.bridge.model.SentEntry;
import dev.picsou.mirror.bridge.wire.FrameCodec;
import dev.picsou.mirror.bridge.wire.FrameFormatException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The wire codec: a data frame of {@value #ENTRIES} entries encoded into a reused direct buffer and decoded from
 * it (with the CRC32C checks), and an ack with a 16,384-bit φ-list. Scores are entries (or acks) per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
    static final int ENTRIES = 32;

    @Param({"100", "10240", "1048576"})
    public int entryBytes;

    private final FrameCodec codec = new FrameCodec();
    private DataFrame data;
    private ByteBuffer dataBuffer;
    private ByteBuffer encodedData;
    private AckFrame ack;
    private ByteBuffer ackBuffer;
    private ByteBuffer encodedAck;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(7);
        List<SentEntry> entries = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            byte[] payload = new byte[entryBytes];
            random.nextBytes(payload);
            entries.add(new SentEntry(Entry.of(1, i + 1, 1, 100 + i, payload), 0));
        }
        data = new DataFrame(1, 1, 0, 1, 0, entries, Mac.NONE);
        dataBuffer = ByteBuffer.allocateDirect(FrameCodec.encodedSize(data));
        encodedData = codec.encode(data);
        BitSet bits = new BitSet();
        for (int i = 0; i < 16_384; i += 3) {
            bits.set(i);
        }
        ack = new AckFrame(1, 1, 2, 0, 1000, 990, PhiList.of(bits, 16_384), Mac.NONE);
        ackBuffer = ByteBuffer.allocateDirect(FrameCodec.encodedSize(ack));
        encodedAck = codec.encode(ack);
    }

    /** Entries per second through the encoder (one frame per call). */
    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public ByteBuffer encodeData() {
        dataBuffer.clear();
        codec.encode(data, dataBuffer);
        return dataBuffer;
    }

    /** Entries per second through the decoder (one frame per call, CRCs checked). */
    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public Frame decodeData() throws FrameFormatException {
        return codec.decode(encodedData.duplicate());
    }

    @Benchmark
    public ByteBuffer encodeAck() {
        ackBuffer.clear();
        codec.encode(ack, ackBuffer);
        return ackBuffer;
    }

    @Benchmark
    public Frame decodeAck() throws FrameFormatException {
        return codec.decode(encodedAck.duplicate());
    }
}
