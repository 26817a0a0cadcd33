package dev.picsou.mirror.bridge.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link FaultyTransport} does to each frame it sends. Each frame is dropped with
 * {@code dropProbability}; otherwise sent once, plus a second copy with {@code duplicateProbability}; each copy is
 * delayed by {@code delay} plus a uniform draw from {@code [0, delayJitter)}, plus, with
 * {@code reorderProbability}, a further uniform draw from {@code [0, reorderDelay)} (which lets later frames
 * overtake it). A copy with no delay at all is sent synchronously, so with {@link #NONE} the decorator is
 * transparent and order-preserving; with a fixed delay and no jitter order is preserved too.
 */
public record FaultSettings(double dropProbability, double duplicateProbability, Duration delay,
                            Duration delayJitter, double reorderProbability, Duration reorderDelay) {

    /** No faults. */
    public static final FaultSettings NONE = new FaultSettings(0, 0, Duration.ZERO, Duration.ZERO, 0,
            Duration.ZERO);

    public FaultSettings {
        checkProbability("dropProbability", dropProbability);
        checkProbability("duplicateProbability", duplicateProbability);
        checkProbability("reorderProbability", reorderProbability);
        checkDuration("delay", delay);
        checkDuration("delayJitter", delayJitter);
        checkDuration("reorderDelay", reorderDelay);
    }

    public FaultSettings withDrop(double probability) {
        return new FaultSettings(probability, duplicateProbability, delay, delayJitter, reorderProbability,
                reorderDelay);
    }

    public FaultSettings withDuplicate(double probability) {
        return new FaultSettings(dropProbability, probability, delay, delayJitter, reorderProbability,
                reorderDelay);
    }

    public FaultSettings withDelay(Duration fixed, Duration jitter) {
        return new FaultSettings(dropProbability, duplicateProbability, fixed, jitter, reorderProbability,
                reorderDelay);
    }

    public FaultSettings withReorder(double probability, Duration maxExtraDelay) {
        return new FaultSettings(dropProbability, duplicateProbability, delay, delayJitter, probability,
                maxExtraDelay);
    }

    private static void checkProbability(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], was " + p);
        }
    }

    private static void checkDuration(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + d);
        }
    }
}
