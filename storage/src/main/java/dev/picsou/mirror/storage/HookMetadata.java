package dev.picsou.mirror.storage;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a Ratis hook must find again after a restart, written in the same {@link StoreBatch} as the data it
 * describes so that the two never disagree. Immutable; change it with the {@code with*} methods.
 *
 * <p>Field use by role:
 * <ul>
 *   <li>PRIMARY ({@code MirroringStateMachine}): {@code epoch}; {@code lastAppliedTerm/Index} of the local
 *       Raft log; {@code lastSeq}, the last seq assigned; {@code quackedSeq}, the highest seq known QUACKed (the
 *       outbox holds {@code (quackedSeq, lastSeq]}).</li>
 *   <li>MIRROR ({@code MirrorStateMachine}): {@code epoch}; {@code lastAppliedTerm/Index} of the mirror's own
 *       Raft log; {@code durableSeq}, the applied prefix (the watermark: every entry {@code 1..durableSeq} is in
 *       {@code entries} and in {@code kv}).</li>
 * </ul>
 * {@link #stateSeq()} is the seq the state reflects for either role. {@code forkPoints} grow by one on every
 * failover ({@link #withFailover}), oldest first, with strictly increasing epochs, none above {@code epoch}.
 *
 * <p>{@code lastAppliedIndex} is {@code -1} when nothing was applied, as Ratis's own "no index" (a Ratis log starts
 * at index 0), so "skip replayed entries with {@code index <= lastAppliedIndex}" works from the start.
 *
 * <h2>Encoding, version 2</h2>
 * Big-endian, {@code 66 + 16k} bytes for {@code k} fork points (version 1 lacked {@code sealedSeq}: 8 bytes
 * fewer, read as not sealed):
 * <pre>
 * offset  size  field
 *      0     1  encoding version = 0x01
 *      1     1  role code (0 unassigned, 1 primary, 2 mirror)
 *      2     8  epoch
 *     10     8  lastAppliedTerm
 *     18     8  lastAppliedIndex
 *     26     8  lastSeq
 *     34     8  quackedSeq
 *     42     8  durableSeq
 *     50     8  sealedSeq (-1: not sealed)
 *     58     4  k = fork point count
 *     62   16k  k x (epoch 8, seq 8)
 *  62+16k    4  CRC32C of bytes [0, 62+16k)
 * </pre>
 *
 * @param role             the role this replica's site has
 * @param epoch            current epoch
 * @param lastAppliedTerm  Raft term of the last local log entry applied into this store
 * @param lastAppliedIndex Raft index of the last local log entry applied into this store, -1 for none
 * @param lastSeq          primary: last seq assigned
 * @param quackedSeq       primary: highest seq known QUACKed by the mirror
 * @param durableSeq       mirror: every seq up to this one is applied
 * @param sealedSeq        the seq at which a seal control entry closed this epoch's stream on this site (the
 *                         primary was fenced, or the mirror promoted), {@link #NOT_SEALED} while open
 * @param forkPoints       failover history, oldest first
 */
public record HookMetadata(Role role, long epoch, long lastAppliedTerm, long lastAppliedIndex, long lastSeq,
                           long quackedSeq, long durableSeq, long sealedSeq, List<ForkPointRecord> forkPoints) {

    /** The encoding version {@link #encode()} writes; version 1 (no {@code sealedSeq}) is still read. */
    public static final byte ENCODING_VERSION = 2;
    /** {@code sealedSeq} of a stream that is not sealed. */
    public static final long NOT_SEALED = -1;

    private static final byte ENCODING_VERSION_1 = 1;
    private static final int FIXED_BYTES_V1 = 1 + 1 + 6 * Long.BYTES + Integer.BYTES;
    private static final int FIXED_BYTES = FIXED_BYTES_V1 + Long.BYTES;
    private static final int FORK_POINT_BYTES = 2 * Long.BYTES;
    private static final int TRAILER_BYTES = Integer.BYTES;

    /** The role of the site a store belongs to, with stable on-disk codes. */
    public enum Role {
        /** Never assigned: a store no hook has written yet. */
        UNASSIGNED(0),
        /** Primary site: takes client writes and sends the stream. */
        PRIMARY(1),
        /** Mirror site: receives the stream. */
        MIRROR(2);

        private final int code;

        Role(int code) {
            this.code = code;
        }

        /** The byte this role is stored as. */
        public int code() {
            return code;
        }

        static Role ofCode(int code) {
            for (Role r : values()) {
                if (r.code == code) {
                    return r;
                }
            }
            return null;
        }
    }

    public HookMetadata {
        Objects.requireNonNull(role, "role");
        forkPoints = List.copyOf(forkPoints);
        requireNonNegative("epoch", epoch);
        requireNonNegative("lastAppliedTerm", lastAppliedTerm);
        if (lastAppliedIndex < -1) {
            throw new IllegalArgumentException("lastAppliedIndex must be >= -1, was " + lastAppliedIndex);
        }
        requireNonNegative("lastSeq", lastSeq);
        requireNonNegative("quackedSeq", quackedSeq);
        requireNonNegative("durableSeq", durableSeq);
        if (sealedSeq < NOT_SEALED) {
            throw new IllegalArgumentException("sealedSeq must be >= -1, was " + sealedSeq);
        }
        long previousEpoch = -1;
        for (ForkPointRecord fp : forkPoints) {
            if (fp.epoch() <= previousEpoch || fp.epoch() > epoch) {
                throw new IllegalArgumentException("fork point epochs must increase strictly and not exceed epoch "
                        + epoch + ", were " + forkPoints);
            }
            previousEpoch = fp.epoch();
        }
    }

    /** The metadata of a store no hook has written: epoch 0, nothing applied, no seq, no fork point. */
    public static HookMetadata initial() {
        return new HookMetadata(Role.UNASSIGNED, 0, 0, -1, 0, 0, 0, NOT_SEALED, List.of());
    }

    /** The seq this replica's state reflects: {@code durableSeq} on a mirror, {@code lastSeq} otherwise. */
    public long stateSeq() {
        return role == Role.MIRROR ? durableSeq : lastSeq;
    }

    /** The most recent fork point, if any failover happened. */
    public Optional<ForkPointRecord> lastForkPoint() {
        return forkPoints.isEmpty() ? Optional.empty() : Optional.of(forkPoints.get(forkPoints.size() - 1));
    }

    public HookMetadata withRole(Role newRole) {
        return new HookMetadata(newRole, epoch, lastAppliedTerm, lastAppliedIndex, lastSeq, quackedSeq,
                durableSeq, sealedSeq, forkPoints);
    }

    /** A new epoch without a fork point (planned switchover). */
    public HookMetadata withEpoch(long newEpoch) {
        return new HookMetadata(role, newEpoch, lastAppliedTerm, lastAppliedIndex, lastSeq, quackedSeq,
                durableSeq, sealedSeq, forkPoints);
    }

    public HookMetadata withLastApplied(long term, long index) {
        return new HookMetadata(role, epoch, term, index, lastSeq, quackedSeq, durableSeq, sealedSeq, forkPoints);
    }

    public HookMetadata withLastSeq(long seq) {
        return new HookMetadata(role, epoch, lastAppliedTerm, lastAppliedIndex, seq, quackedSeq, durableSeq,
                sealedSeq, forkPoints);
    }

    public HookMetadata withQuackedSeq(long seq) {
        return new HookMetadata(role, epoch, lastAppliedTerm, lastAppliedIndex, lastSeq, seq, durableSeq,
                sealedSeq, forkPoints);
    }

    public HookMetadata withDurableSeq(long seq) {
        return new HookMetadata(role, epoch, lastAppliedTerm, lastAppliedIndex, lastSeq, quackedSeq, seq,
                sealedSeq, forkPoints);
    }

    /** Seals this epoch's stream at {@code seq}: no entry after it is numbered (primary) or applied (mirror). */
    public HookMetadata withSealedSeq(long seq) {
        return new HookMetadata(role, epoch, lastAppliedTerm, lastAppliedIndex, lastSeq, quackedSeq, durableSeq, seq,
                forkPoints);
    }

    /** Whether a seal control entry was applied: the site took its last entry of this epoch. */
    public boolean isSealed() {
        return sealedSeq != NOT_SEALED;
    }

    /**
     * An unplanned failover: moves to {@code newEpoch} and appends the fork point {@code (newEpoch, forkSeq)}.
     * Role and seqs are left to the caller (a mirror promoted at watermark M also sets role PRIMARY and
     * {@code lastSeq = M}).
     *
     * @throws IllegalArgumentException unless {@code newEpoch > epoch}
     */
    public HookMetadata withFailover(long newEpoch, long forkSeq) {
        if (newEpoch <= epoch) {
            throw new IllegalArgumentException("failover epoch " + newEpoch + " must exceed epoch " + epoch);
        }
        List<ForkPointRecord> extended = new ArrayList<>(forkPoints);
        extended.add(new ForkPointRecord(newEpoch, forkSeq));
        return new HookMetadata(role, newEpoch, lastAppliedTerm, lastAppliedIndex, lastSeq, quackedSeq, durableSeq,
                sealedSeq, extended);
    }

    /** The version-2 encoding described in the class javadoc. */
    public byte[] encode() {
        ByteBuffer buf = ByteBuffer.allocate(FIXED_BYTES + FORK_POINT_BYTES * forkPoints.size() + TRAILER_BYTES);
        buf.put(ENCODING_VERSION).put((byte) role.code())
                .putLong(epoch).putLong(lastAppliedTerm).putLong(lastAppliedIndex)
                .putLong(lastSeq).putLong(quackedSeq).putLong(durableSeq).putLong(sealedSeq)
                .putInt(forkPoints.size());
        for (ForkPointRecord fp : forkPoints) {
            buf.putLong(fp.epoch()).putLong(fp.seq());
        }
        buf.putInt(StoredEntry.crc32c(buf.array(), 0, buf.position()));
        return buf.array();
    }

    /**
     * Decodes and verifies an encoding.
     *
     * @throws StorageException naming what does not match
     */
    public static HookMetadata decode(byte[] bytes) {
        if (bytes.length < 1 || (bytes[0] != ENCODING_VERSION && bytes[0] != ENCODING_VERSION_1)) {
            throw corrupt("unknown HookMetadata encoding version " + (bytes.length < 1 ? "(empty)" : bytes[0])
                    + " (this build reads " + ENCODING_VERSION_1 + " and " + ENCODING_VERSION + ")");
        }
        boolean v1 = bytes[0] == ENCODING_VERSION_1;
        int fixed = v1 ? FIXED_BYTES_V1 : FIXED_BYTES;
        if (bytes.length < fixed + TRAILER_BYTES) {
            throw corrupt("value is " + bytes.length + " bytes, shorter than the minimum "
                    + (fixed + TRAILER_BYTES));
        }
        int storedCrc = ByteBuffer.wrap(bytes, bytes.length - TRAILER_BYTES, TRAILER_BYTES).getInt();
        int actualCrc = StoredEntry.crc32c(bytes, 0, bytes.length - TRAILER_BYTES);
        if (storedCrc != actualCrc) {
            throw corrupt("checksum mismatch: stored " + Integer.toHexString(storedCrc) + ", computed "
                    + Integer.toHexString(actualCrc));
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes, 1, bytes.length - 1 - TRAILER_BYTES);
        Role role = Role.ofCode(buf.get());
        if (role == null) {
            throw corrupt("unknown role code " + bytes[1]);
        }
        long epoch = buf.getLong();
        long term = buf.getLong();
        long index = buf.getLong();
        long lastSeq = buf.getLong();
        long quackedSeq = buf.getLong();
        long durableSeq = buf.getLong();
        long sealedSeq = v1 ? NOT_SEALED : buf.getLong();
        int count = buf.getInt();
        if (count < 0 || (long) count * FORK_POINT_BYTES != buf.remaining()) {
            throw corrupt("fork point count " + count + " does not match the " + buf.remaining()
                    + " bytes that follow");
        }
        List<ForkPointRecord> forks = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                forks.add(new ForkPointRecord(buf.getLong(), buf.getLong()));
            }
            return new HookMetadata(role, epoch, term, index, lastSeq, quackedSeq, durableSeq, sealedSeq, forks);
        } catch (IllegalArgumentException e) {
            throw new StorageException("decode HookMetadata", e.getMessage(), e);
        }
    }

    private static StorageException corrupt(String detail) {
        return new StorageException("decode HookMetadata", detail);
    }

    private static void requireNonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + value);
        }
    }
}
