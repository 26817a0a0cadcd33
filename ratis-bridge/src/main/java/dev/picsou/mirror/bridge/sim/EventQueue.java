package dev.picsou.mirror.bridge.sim;

/**
 * The simulation's agenda: a binary min-heap of {@link Event}s ordered by (time, insertion counter), so events at
 * the same instant run in the order they were scheduled and every run is reproducible. Events are pooled: the
 * driver {@link #recycle}s each one after handling it.
 */
final class EventQueue {
    private Event[] heap = new Event[1024];
    private int size;
    private long counter;
    private Event free;

    /** A blank event to fill and {@link #push}. */
    Event obtain() {
        Event e = free;
        if (e == null) {
            return new Event();
        }
        free = e.nextFree;
        e.nextFree = null;
        return e;
    }

    void push(Event e) {
        e.order = counter++;
        if (size == heap.length) {
            heap = java.util.Arrays.copyOf(heap, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Event p = heap[parent];
            if (!before(e, p)) {
                break;
            }
            heap[i] = p;
            i = parent;
        }
        heap[i] = e;
    }

    /** The earliest event, or null. */
    Event peek() {
        return size == 0 ? null : heap[0];
    }

    /** Removes and returns the earliest event, or null. */
    Event poll() {
        if (size == 0) {
            return null;
        }
        Event top = heap[0];
        Event last = heap[--size];
        heap[size] = null;
        if (size > 0) {
            int i = 0;
            int half = size >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                int right = child + 1;
                if (right < size && before(heap[right], heap[child])) {
                    child = right;
                }
                if (!before(heap[child], last)) {
                    break;
                }
                heap[i] = heap[child];
                i = child;
            }
            heap[i] = last;
        }
        return top;
    }

    void recycle(Event e) {
        e.node = null;
        e.payload = null;
        e.nextFree = free;
        free = e;
    }

    int size() {
        return size;
    }

    private static boolean before(Event a, Event b) {
        return a.time < b.time || (a.time == b.time && a.order < b.order);
    }

    /** One scheduled happening. Field meaning depends on {@link #kind}. */
    static final class Event {
        long time;
        long order;
        int kind;
        SimNode node;
        long arg;
        Object payload;
        Event nextFree;
    }
}
