package dev.picsou.mirror.storage;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Random;

/**
 * Child process of {@link CrashSafetyTest}: opens the store at {@code args[0]}, continues the
 * {@link CrashWorkload} from the recovered lastSeq, and prints {@code committed N} after every 100th committed
 * batch (the commit has returned), until it is killed. With {@code args[2] = rederivable} the store writes no WAL
 * (with {@link #REDERIVABLE_BUFFER_BYTES} memtables, so that flushes happen on their own all the time), and every
 * 500th batch is followed by {@link MirrorStore#sync()} and {@code synced N}.
 */
public final class CrashWriterMain {

    /** Memtable size of the rederivable mode: a few dozen batches per flush. */
    static final long REDERIVABLE_BUFFER_BYTES = 64 * 1024;

    private CrashWriterMain() {
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        Random random = new Random(Long.parseLong(args[1]));
        boolean rederivable = args.length > 2 && args[2].equals("rederivable");
        MirrorStore store = MirrorStore.open(Path.of(args[0]), rederivable
                ? StoreOptions.defaults().withRederivable(true).withWriteBufferBytes(REDERIVABLE_BUFFER_BYTES)
                : StoreOptions.defaults());
        HookMetadata meta = store.metadata();
        out.println("ready " + meta.lastSeq());
        out.flush();
        for (long n = meta.lastSeq() + 1; ; n++) {
            meta = CrashWorkload.writeBatch(store, meta, n, random);
            if (n % 100 == 0) {
                out.println("committed " + n);
                out.flush();
            }
            if (rederivable && n % 500 == 0) {
                store.sync();
                out.println("synced " + n);
                out.flush();
            }
        }
    }
}
