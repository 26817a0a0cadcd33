package dev.picsou.mirror.storage;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Random;

/**
 * Child process of {@link CrashSafetyTest}: opens the store at {@code args[0]}, continues the
 * {@link CrashWorkload} from the recovered lastSeq, and prints {@code committed N} after every 100th committed
 * batch (the commit has returned), until it is killed.
 */
public final class CrashWriterMain {

    private CrashWriterMain() {
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        Random random = new Random(Long.parseLong(args[1]));
        MirrorStore store = MirrorStore.open(Path.of(args[0]));
        HookMetadata meta = store.metadata();
        out.println("ready " + meta.lastSeq());
        out.flush();
        for (long n = meta.lastSeq() + 1; ; n++) {
            meta = CrashWorkload.writeBatch(store, meta, n, random);
            if (n % 100 == 0) {
                out.println("committed " + n);
                out.flush();
            }
        }
    }
}
