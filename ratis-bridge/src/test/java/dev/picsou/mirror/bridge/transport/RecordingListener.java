package dev.picsou.mirror.bridge.transport;

import dev.picsou.mirror.bridge.model.DataFrame;
import dev.picsou.mirror.bridge.model.Frame;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Records everything a transport reports; can hold {@code onFrame} to emulate a slow reader. */
final class RecordingListener implements TransportListener {
    /** One frame, with the {@link System#nanoTime()} of its arrival. */
    record Received(PeerId from, Frame frame, long atNanos) {
    }

    record WritabilityEvent(PeerId peer, boolean writable) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    final List<WritabilityEvent> writability = new CopyOnWriteArrayList<>();
    final List<PeerId> ups = new CopyOnWriteArrayList<>();
    final List<PeerId> downs = new CopyOnWriteArrayList<>();
    private final Map<PeerId, Boolean> lastWritable = new ConcurrentHashMap<>();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    @Override
    public void onFrame(PeerId from, Frame frame) {
        try {
            if (!gate.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("reader stayed blocked for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        received.add(new Received(from, frame, System.nanoTime()));
    }

    @Override
    public void onWritabilityChanged(PeerId peer, boolean writable) {
        writability.add(new WritabilityEvent(peer, writable));
        lastWritable.put(peer, writable);
    }

    @Override
    public void onPeerDown(PeerId peer) {
        downs.add(peer);
    }

    @Override
    public void onPeerUp(PeerId peer) {
        ups.add(peer);
    }

    /** From now on, {@code onFrame} blocks until {@link #unblock()}. */
    void block() {
        gate = new CountDownLatch(1);
    }

    void unblock() {
        gate.countDown();
    }

    /** The last writability reported for {@code peer} (false if none). */
    boolean lastWritable(PeerId peer) {
        return lastWritable.getOrDefault(peer, false);
    }

    List<Frame> framesFrom(PeerId peer) {
        return received.stream().filter(r -> r.from().equals(peer)).map(Received::frame).toList();
    }

    int count() {
        return received.size();
    }

    /** Sequence numbers of the first entry of each data frame received, in arrival order. */
    List<Long> seqs() {
        return received.stream().map(Received::frame).filter(DataFrame.class::isInstance)
                .map(f -> ((DataFrame) f).entries().get(0).entry().seq()).toList();
    }
}
