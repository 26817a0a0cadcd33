package dev.picsou.mirror.bridge.wire;

import dev.picsou.mirror.bridge.model.AckFrame;
import dev.picsou.mirror.bridge.model.DataFrame;
import dev.picsou.mirror.bridge.model.Entry;
import dev.picsou.mirror.bridge.model.FencedFrame;
import dev.picsou.mirror.bridge.model.ForkPoint;
import dev.picsou.mirror.bridge.model.Frame;
import dev.picsou.mirror.bridge.model.Mac;
import dev.picsou.mirror.bridge.model.PhiList;
import dev.picsou.mirror.bridge.model.SentEntry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The one binary encoding of {@link Frame}s, version {@value #VERSION}, over {@link ByteBuffer} (no Netty types).
 *
 * <h2>Layout</h2>
 * All integers are big-endian and signed; offsets are from the first byte of the length prefix.
 * <pre>
 * offset size field
 *      0    4 length     bytes after this field (so the frame is length + 4 bytes in all)
 *      4    4 magic      0x50435355 ("PCSU")
 *      8    1 version    1
 *      9    1 type       1 DATA, 2 ACK, 3 FENCED
 *     10    1 flags      bit 0: a 16-byte MAC follows the body; every other bit must be 0
 *     11    4 linkId
 *     15    8 epoch
 *     23    2 from       sender's replica index within its site, 0..32767
 *     25    2 to         receiver's replica index within its site, 0..32767
 *     27    . body       one of the bodies below
 *      .   16 MAC        only when flags bit 0 is set: Mac.hi then Mac.lo
 *      .    4 CRC32C     over every byte from magic to the end of the MAC (or of the body when there is no MAC)
 *
 * DATA body:   int64 quackedSeq, int32 count, then count times:
 *                int64 epoch, int64 seq, int64 raftTerm, int64 raftIndex, int32 attempt, int32 crc32c,
 *                int32 payloadLength, payloadLength bytes of payload
 * ACK body:    int64 received, int64 durable, int32 phiLength (in bits, 0..65536),
 *                (phiLength + 7) / 8 bytes of PhiList.toBytes() (little-endian bit order; unused high bits 0)
 * FENCED body: int64 forkPoint.epoch, int64 forkPoint.seq
 * </pre>
 *
 * <h2>Worked example</h2>
 * {@code new AckFrame(7, 3, 2, 1, 41, 40, phi, Mac.NONE)} where {@code phi} has length 10 and bits 0 and 2 set
 * encodes to these 53 bytes:
 * <pre>
 * 00000031                 length 49
 * 50435355 01 02 00        magic, version 1, type ACK, no MAC
 * 00000007                 linkId 7
 * 0000000000000003         epoch 3
 * 0002 0001                from 2, to 1
 * 0000000000000029         received 41
 * 0000000000000028         durable 40
 * 0000000a 0500            phiLength 10, then 2 bytes: bits 0 and 2 of the first byte
 * de829543                 CRC32C of the 45 bytes from magic to the end of the body
 * </pre>
 *
 * <h2>Contracts</h2>
 * <ul>
 *   <li>{@code maxFrameBytes} bounds the whole frame, length prefix included: a frame encodes if and only if
 *       {@link #encodedSize} is at most the maximum, and a decoder with the same maximum accepts it.</li>
 *   <li>The encoding is canonical: {@code decode(encode(f))} equals {@code f}, and the decoder refuses every byte
 *       string that is not the encoding of the frame it would return (unknown flags, non-zero φ padding bits,
 *       trailing bytes).</li>
 *   <li>The decoder trusts no length: the total length is checked against the maximum before anything is
 *       allocated, and every inner count or length against the bytes that remain.</li>
 *   <li>Instances are immutable and thread-safe; nothing here blocks, reads a clock or does I/O.</li>
 * </ul>
 */
public final class FrameCodec {
    public static final int MAGIC = 0x50435355;
    public static final byte VERSION = 1;
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 << 20;
    public static final int LENGTH_PREFIX_BYTES = 4;

    static final byte TYPE_DATA = 1;
    static final byte TYPE_ACK = 2;
    static final byte TYPE_FENCED = 3;
    static final int FLAG_MAC = 0x01;

    /** Bytes from magic through {@code to}. */
    static final int HEADER_BYTES = 23;
    static final int MAC_BYTES = 16;
    static final int CRC_BYTES = 4;
    /** Smallest legal value of the length field: a header and a CRC (every body adds to it). */
    static final int MIN_LENGTH = HEADER_BYTES + CRC_BYTES;
    static final int DATA_FIXED_BYTES = 12;
    static final int ENTRY_FIXED_BYTES = 44;
    static final int ACK_FIXED_BYTES = 20;
    static final int FENCED_BODY_BYTES = 16;
    static final int MAX_PHI_BITS = 65536;
    static final int MAX_REPLICA_INDEX = Short.MAX_VALUE;

    // Offsets of header fields from the start of the frame (the first byte of the length prefix).
    private static final int OFF_MAGIC = 4;
    private static final int OFF_VERSION = 8;
    private static final int OFF_TYPE = 9;
    private static final int OFF_FLAGS = 10;
    private static final int OFF_LINK = 11;
    private static final int OFF_EPOCH = 15;
    private static final int OFF_FROM = 23;
    private static final int OFF_TO = 25;
    private static final int OFF_BODY = 27;

    private final int maxFrameBytes;

    /** A codec that accepts frames of up to {@link #DEFAULT_MAX_FRAME_BYTES}. */
    public FrameCodec() {
        this(DEFAULT_MAX_FRAME_BYTES);
    }

    /**
     * A codec that encodes and accepts frames of up to {@code maxFrameBytes} bytes, length prefix included.
     *
     * @throws IllegalArgumentException if {@code maxFrameBytes} cannot hold even the smallest frame
     */
    public FrameCodec(int maxFrameBytes) {
        int smallest = LENGTH_PREFIX_BYTES + MIN_LENGTH + FENCED_BODY_BYTES;
        if (maxFrameBytes < smallest) {
            throw new IllegalArgumentException("maxFrameBytes must be >= " + smallest + ", was " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    /** The largest frame, length prefix included, this codec encodes or accepts. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    // ------------------------------------------------------------------------------------------------ sizes

    /**
     * Exact number of bytes {@code frame} takes on the wire, length prefix included, computed without encoding.
     *
     * @throws IllegalArgumentException if the frame would exceed 2 GiB
     */
    public static int encodedSize(Frame frame) {
        long size = LENGTH_PREFIX_BYTES + HEADER_BYTES + bodySize(frame)
                + (frame.mac().present() ? MAC_BYTES : 0) + CRC_BYTES;
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("frame of " + size + " bytes cannot be encoded (limit 2 GiB)");
        }
        return (int) size;
    }

    /** Size of {@link #macInput(Frame)}: header and body. */
    static int macInputSize(Frame frame) {
        long size = HEADER_BYTES + bodySize(frame);
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("frame of " + size + " bytes cannot be encoded (limit 2 GiB)");
        }
        return (int) size;
    }

    private static long bodySize(Frame frame) {
        if (frame instanceof DataFrame data) {
            long size = DATA_FIXED_BYTES;
            for (SentEntry sent : data.entries()) {
                size += ENTRY_FIXED_BYTES + sent.entry().payloadLength();
            }
            return size;
        }
        if (frame instanceof AckFrame ack) {
            return ACK_FIXED_BYTES + ((ack.phi().length() + 7L) >>> 3);
        }
        if (frame instanceof FencedFrame) {
            return FENCED_BODY_BYTES;
        }
        throw new IllegalArgumentException("unknown frame class " + frame.getClass().getName());
    }

    /**
     * Total size, length prefix included, of the frame that starts at {@code src.position()}, for stream framing:
     * -1 when fewer than {@value #LENGTH_PREFIX_BYTES} bytes are readable. The length is not validated, except that
     * a negative or overflowing length field reports as {@link Integer#MAX_VALUE}, so a caller that compares the
     * result with its maximum frame size (and then calls {@link #decode} for the precise error) never waits for
     * bytes that cannot come. Reads big-endian whatever {@code src.order()} is; does not move the position;
     * allocates nothing.
     */
    public static int peekFrameLength(ByteBuffer src) {
        if (src.remaining() < LENGTH_PREFIX_BYTES) {
            return -1;
        }
        int p = src.position();
        int length = (src.get(p) & 0xff) << 24 | (src.get(p + 1) & 0xff) << 16 | (src.get(p + 2) & 0xff) << 8
                | (src.get(p + 3) & 0xff);
        if (length < 0 || length > Integer.MAX_VALUE - LENGTH_PREFIX_BYTES) {
            return Integer.MAX_VALUE;
        }
        return LENGTH_PREFIX_BYTES + length;
    }

    // ------------------------------------------------------------------------------------------------ encode

    /**
     * Writes {@code frame} at {@code dst.position()} and advances the position past it. Writes big-endian whatever
     * {@code dst.order()} is, and leaves the order as it was.
     *
     * @throws IllegalArgumentException if the frame exceeds this codec's maximum, {@code dst} has fewer bytes
     *                                  remaining than {@link #encodedSize}, or a field does not fit the layout
     *                                  (replica index outside 0..32767, φ-list over 65536 bits); nothing is written
     */
    public void encode(Frame frame, ByteBuffer dst) {
        int size = checkedSize(frame);
        if (dst.remaining() < size) {
            throw new IllegalArgumentException("destination too small: frame needs " + size + " bytes, only "
                    + dst.remaining() + " remaining");
        }
        ByteBuffer out = dst.duplicate().order(ByteOrder.BIG_ENDIAN);
        int start = out.position();
        out.putInt(size - LENGTH_PREFIX_BYTES);
        writeHeaderAndBody(frame, out, frame.mac().present() ? FLAG_MAC : 0);
        if (frame.mac().present()) {
            out.putLong(frame.mac().hi()).putLong(frame.mac().lo());
        }
        out.putInt(crc32c(out, start + OFF_MAGIC, out.position()));
        dst.position(start + size);
    }

    /**
     * Encodes {@code frame} into a new heap buffer, flipped: position 0, limit {@link #encodedSize}.
     *
     * @throws IllegalArgumentException as {@link #encode(Frame, ByteBuffer)}
     */
    public ByteBuffer encode(Frame frame) {
        ByteBuffer out = ByteBuffer.allocate(checkedSize(frame));
        encode(frame, out);
        return out.flip();
    }

    /**
     * The canonical bytes a MAC covers: the encoding of {@code frame} from magic to the end of the body, with the
     * flags byte written as it appears on a signed frame (MAC bit set) whatever {@code frame.mac()} is. So signer
     * and verifier compute the same input; on a signed frame it is exactly the wire bytes from offset 4 up to, not
     * including, offset {@code length - 16} (where the MAC starts).
     *
     * @throws IllegalArgumentException if a field does not fit the layout
     */
    public static byte[] macInput(Frame frame) {
        byte[] bytes = new byte[macInputSize(frame)];
        writeMacInput(frame, ByteBuffer.wrap(bytes));
        return bytes;
    }

    /** Writes {@link #macInput(Frame)} at {@code out.position()}; {@code out} must be big-endian. */
    static void writeMacInput(Frame frame, ByteBuffer out) {
        checkFields(frame);
        writeHeaderAndBody(frame, out, FLAG_MAC);
    }

    private int checkedSize(Frame frame) {
        checkFields(frame);
        int size = encodedSize(frame);
        if (size > maxFrameBytes) {
            throw new IllegalArgumentException("frame of " + size + " bytes exceeds the maximum " + maxFrameBytes);
        }
        return size;
    }

    private static void checkFields(Frame frame) {
        checkReplicaIndex("from", frame.from());
        checkReplicaIndex("to", frame.to());
        if (frame instanceof AckFrame ack && ack.phi().length() > MAX_PHI_BITS) {
            throw new IllegalArgumentException("phi length " + ack.phi().length() + " bits exceeds the maximum "
                    + MAX_PHI_BITS);
        }
    }

    private static void checkReplicaIndex(String field, int index) {
        if (index < 0 || index > MAX_REPLICA_INDEX) {
            throw new IllegalArgumentException(field + " must be in [0, " + MAX_REPLICA_INDEX + "], was " + index);
        }
    }

    private static void writeHeaderAndBody(Frame frame, ByteBuffer out, int flags) {
        out.putInt(MAGIC).put(VERSION).put(typeOf(frame)).put((byte) flags)
                .putInt(frame.linkId()).putLong(frame.epoch())
                .putShort((short) frame.from()).putShort((short) frame.to());
        if (frame instanceof DataFrame data) {
            out.putLong(data.quackedSeq()).putInt(data.entries().size());
            for (SentEntry sent : data.entries()) {
                Entry e = sent.entry();
                out.putLong(e.epoch()).putLong(e.seq()).putLong(e.raftTerm()).putLong(e.raftIndex())
                        .putInt(sent.attempt()).putInt(e.crc32c()).putInt(e.payloadLength()).put(e.payload());
            }
        } else if (frame instanceof AckFrame ack) {
            out.putLong(ack.received()).putLong(ack.durable()).putInt(ack.phi().length()).put(ack.phi().toBytes());
        } else if (frame instanceof FencedFrame fenced) {
            out.putLong(fenced.forkPoint().epoch()).putLong(fenced.forkPoint().seq());
        }
    }

    private static byte typeOf(Frame frame) {
        if (frame instanceof DataFrame) {
            return TYPE_DATA;
        }
        if (frame instanceof AckFrame) {
            return TYPE_ACK;
        }
        if (frame instanceof FencedFrame) {
            return TYPE_FENCED;
        }
        throw new IllegalArgumentException("unknown frame class " + frame.getClass().getName());
    }

    // ------------------------------------------------------------------------------------------------ decode

    /**
     * Decodes the one whole frame, length prefix included, that starts at {@code src.position()} and advances the
     * position past it. Reads big-endian whatever {@code src.order()} is. On failure the position does not move.
     *
     * <p>Checks, in order: a readable length prefix, the length against the minimum and then the maximum (before
     * allocating anything), that the whole frame is readable, magic, version, CRC32C, flags, type, replica indices,
     * then the body field by field, and that the body ends exactly where the MAC (or CRC) starts. Entry payload
     * checksums are not checked here: that is the protocol's job.
     *
     * @throws FrameFormatException naming the problem and the expected and actual values; never any other
     *                              exception for any input bytes
     */
    public Frame decode(ByteBuffer src) throws FrameFormatException {
        ByteBuffer in = src.duplicate().order(ByteOrder.BIG_ENDIAN);
        int start = in.position();
        int end = start + checkLength(in);
        checkHeader(in, start, end);
        Frame frame;
        try {
            frame = decodeChecked(in, start, end);
        } catch (IllegalArgumentException e) {
            // Every model invariant is checked explicitly above; this catches one added to the model later.
            throw new FrameFormatException("frame violates a model invariant: " + e.getMessage(), e);
        }
        src.position(end);
        return frame;
    }

    /** Returns the frame's total size after checking it against the minimum, the maximum and what is readable. */
    private int checkLength(ByteBuffer in) throws FrameFormatException {
        int available = in.remaining();
        if (available < LENGTH_PREFIX_BYTES) {
            throw new FrameFormatException("frame truncated: need " + LENGTH_PREFIX_BYTES
                    + " bytes for the length prefix, only " + available + " available");
        }
        int length = in.getInt(in.position());
        if (length < MIN_LENGTH) {
            throw new FrameFormatException("frame length " + length + " is below the minimum " + MIN_LENGTH);
        }
        if ((long) length + LENGTH_PREFIX_BYTES > maxFrameBytes) {
            throw new FrameFormatException("frame length " + length + " (" + ((long) length + LENGTH_PREFIX_BYTES)
                    + " bytes with its prefix) exceeds the maximum " + maxFrameBytes);
        }
        if (available - LENGTH_PREFIX_BYTES < length) {
            throw new FrameFormatException("frame truncated: header says " + length + " bytes, only "
                    + (available - LENGTH_PREFIX_BYTES) + " available");
        }
        return LENGTH_PREFIX_BYTES + length;
    }

    private static void checkHeader(ByteBuffer in, int start, int end) throws FrameFormatException {
        int magic = in.getInt(start + OFF_MAGIC);
        if (magic != MAGIC) {
            throw new FrameFormatException("bad magic: expected " + hex(MAGIC) + ", was " + hex(magic));
        }
        int version = in.get(start + OFF_VERSION) & 0xff;
        if (version != VERSION) {
            throw new FrameFormatException("unsupported version " + version + " (this build speaks " + VERSION + ")");
        }
        int stated = in.getInt(end - CRC_BYTES);
        int computed = crc32c(in, start + OFF_MAGIC, end - CRC_BYTES);
        if (stated != computed) {
            throw new FrameFormatException("CRC32C mismatch: frame says " + hex(stated) + ", computed "
                    + hex(computed));
        }
        int flags = in.get(start + OFF_FLAGS) & 0xff;
        if ((flags & ~FLAG_MAC) != 0) {
            throw new FrameFormatException(String.format("unknown flags 0x%02x: only bit 0 (MAC) is defined", flags));
        }
    }

    private static Frame decodeChecked(ByteBuffer in, int start, int end) throws FrameFormatException {
        int type = in.get(start + OFF_TYPE) & 0xff;
        boolean hasMac = (in.get(start + OFF_FLAGS) & FLAG_MAC) != 0;
        int linkId = in.getInt(start + OFF_LINK);
        long epoch = in.getLong(start + OFF_EPOCH);
        int from = in.getShort(start + OFF_FROM);
        int to = in.getShort(start + OFF_TO);
        if (from < 0 || to < 0) {
            throw new FrameFormatException("replica index out of range: expected 0.." + MAX_REPLICA_INDEX
                    + ", was from=" + from + " to=" + to);
        }
        int bodyEnd = end - CRC_BYTES - (hasMac ? MAC_BYTES : 0);
        if (bodyEnd < start + OFF_BODY) {
            throw new FrameFormatException("frame length " + (end - start - LENGTH_PREFIX_BYTES)
                    + " too short for a MAC: a frame with a MAC needs at least " + (MIN_LENGTH + MAC_BYTES));
        }
        Mac mac = hasMac ? Mac.of(in.getLong(bodyEnd), in.getLong(bodyEnd + 8)) : Mac.NONE;
        Reader body = new Reader(in, start + OFF_BODY, bodyEnd);
        Frame frame = switch (type) {
            case TYPE_DATA -> decodeData(body, linkId, epoch, from, to, mac);
            case TYPE_ACK -> decodeAck(body, linkId, epoch, from, to, mac);
            case TYPE_FENCED -> decodeFenced(body, linkId, epoch, from, to, mac);
            default -> throw new FrameFormatException("unknown frame type " + type + " (expected " + TYPE_DATA
                    + " DATA, " + TYPE_ACK + " ACK or " + TYPE_FENCED + " FENCED)");
        };
        if (body.remaining() != 0) {
            throw new FrameFormatException("trailing bytes: " + body.remaining() + " bytes after the end of the "
                    + body.section + " body, expected 0");
        }
        return frame;
    }

    private static DataFrame decodeData(Reader body, int linkId, long epoch, int from, int to, Mac mac)
            throws FrameFormatException {
        body.section = "DATA";
        long quackedSeq = body.getLong("quackedSeq");
        if (quackedSeq < 0) {
            throw new FrameFormatException("negative quackedSeq: expected >= 0, was " + quackedSeq);
        }
        int count = body.getInt("entry count");
        if (count < 0) {
            throw new FrameFormatException("negative entry count: expected >= 0, was " + count);
        }
        if (count > body.remaining() / ENTRY_FIXED_BYTES) {
            throw new FrameFormatException("entry count " + count + " runs past the frame end: needs at least "
                    + (long) count * ENTRY_FIXED_BYTES + " bytes, only " + body.remaining() + " left in the body");
        }
        List<SentEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(decodeEntry(body, i));
        }
        return new DataFrame(linkId, epoch, from, to, quackedSeq, entries, mac);
    }

    private static SentEntry decodeEntry(Reader body, int index) throws FrameFormatException {
        long epoch = body.getLong("entry epoch");
        long seq = body.getLong("entry seq");
        long raftTerm = body.getLong("entry raftTerm");
        long raftIndex = body.getLong("entry raftIndex");
        int attempt = body.getInt("entry attempt");
        int crc32c = body.getInt("entry crc32c");
        int payloadLength = body.getInt("entry payloadLength");
        String which = "entry " + index + " (seq " + seq + "): ";
        if (epoch < 0) {
            throw new FrameFormatException(which + "negative epoch: expected >= 0, was " + epoch);
        }
        if (seq < 1) {
            throw new FrameFormatException(which + "seq must be >= 1, was " + seq);
        }
        if (attempt < 0) {
            throw new FrameFormatException(which + "negative attempt: expected >= 0, was " + attempt);
        }
        if (payloadLength < 0) {
            throw new FrameFormatException(which + "negative payload length: expected >= 0, was " + payloadLength);
        }
        if (payloadLength > body.remaining()) {
            throw new FrameFormatException(which + "payload length " + payloadLength
                    + " runs past the frame end: only " + body.remaining() + " bytes left in the body");
        }
        byte[] payload = body.getBytes(payloadLength);
        return new SentEntry(new Entry(epoch, seq, raftTerm, raftIndex, payload, crc32c), attempt);
    }

    private static AckFrame decodeAck(Reader body, int linkId, long epoch, int from, int to, Mac mac)
            throws FrameFormatException {
        body.section = "ACK";
        long received = body.getLong("received");
        long durable = body.getLong("durable");
        if (received < 0 || durable < 0) {
            throw new FrameFormatException("negative ack prefix: expected >= 0, was received=" + received
                    + " durable=" + durable);
        }
        int phiLength = body.getInt("phiLength");
        if (phiLength < 0) {
            throw new FrameFormatException("negative phi length: expected >= 0, was " + phiLength);
        }
        if (phiLength > MAX_PHI_BITS) {
            throw new FrameFormatException("phi length " + phiLength + " bits exceeds the maximum " + MAX_PHI_BITS);
        }
        int phiBytes = (phiLength + 7) >>> 3;
        if (phiBytes > body.remaining()) {
            throw new FrameFormatException("phi length " + phiLength + " bits runs past the frame end: needs "
                    + phiBytes + " bytes, only " + body.remaining() + " left in the body");
        }
        byte[] bits = body.getBytes(phiBytes);
        int usedBitsOfLast = phiLength & 7;
        if (usedBitsOfLast != 0 && (bits[phiBytes - 1] & (0xff << usedBitsOfLast) & 0xff) != 0) {
            throw new FrameFormatException(String.format(
                    "phi padding bits set: bits at or after %d must be 0, last byte was 0x%02x",
                    phiLength, bits[phiBytes - 1] & 0xff));
        }
        return new AckFrame(linkId, epoch, from, to, received, durable, PhiList.fromBytes(bits, phiLength), mac);
    }

    private static FencedFrame decodeFenced(Reader body, int linkId, long epoch, int from, int to, Mac mac)
            throws FrameFormatException {
        body.section = "FENCED";
        long forkEpoch = body.getLong("fork epoch");
        long forkSeq = body.getLong("fork seq");
        if (forkEpoch < 0 || forkSeq < 0) {
            throw new FrameFormatException("negative fork point: expected >= 0, was (" + forkEpoch + ", "
                    + forkSeq + ")");
        }
        return new FencedFrame(linkId, epoch, from, to, new ForkPoint(forkEpoch, forkSeq), mac);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static int crc32c(ByteBuffer buf, int from, int to) {
        ByteBuffer range = buf.duplicate();
        range.limit(to).position(from);
        CRC32C crc = new CRC32C();
        crc.update(range);
        return (int) crc.getValue();
    }

    private static String hex(int value) {
        return String.format("0x%08x", value);
    }

    /** Bounds-checked absolute reads over {@code [pos, end)} of a big-endian buffer. */
    private static final class Reader {
        private final ByteBuffer in;
        private final int end;
        private int pos;
        String section = "frame";

        Reader(ByteBuffer in, int pos, int end) {
            this.in = in;
            this.pos = pos;
            this.end = end;
        }

        int remaining() {
            return end - pos;
        }

        long getLong(String field) throws FrameFormatException {
            require(Long.BYTES, field);
            long v = in.getLong(pos);
            pos += Long.BYTES;
            return v;
        }

        int getInt(String field) throws FrameFormatException {
            require(Integer.BYTES, field);
            int v = in.getInt(pos);
            pos += Integer.BYTES;
            return v;
        }

        /** {@code n} must already be checked against {@link #remaining()}. */
        byte[] getBytes(int n) {
            byte[] bytes = new byte[n];
            in.get(pos, bytes);
            pos += n;
            return bytes;
        }

        private void require(int n, String field) throws FrameFormatException {
            if (end - pos < n) {
                throw new FrameFormatException(section + " body truncated: " + field + " needs " + n
                        + " bytes, only " + (end - pos) + " left in the body");
            }
        }
    }
}
