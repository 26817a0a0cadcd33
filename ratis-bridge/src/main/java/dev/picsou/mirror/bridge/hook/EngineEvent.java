package dev.picsou.mirror.bridge.hook;

import dev.picsou.mirror.bridge.picsou.ActionSink;

/** One event for a protocol engine, run on the driver thread; returns the engine's next deadline. */
@FunctionalInterface
public interface EngineEvent {
    long apply(long nowNanos, ActionSink out);
}
