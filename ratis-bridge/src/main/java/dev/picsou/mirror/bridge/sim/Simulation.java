package dev.picsou.mirror.bridge.sim;

import dev.picsou.mirror.bridge.baseline.Protocols;
import dev.picsou.mirror.bridge.picsou.StreamProtocol;

import java.util.Objects;

/**
 * Deterministic discrete-event simulation of one Picsou link (or a baseline) between a sending and a receiving
 * site: real protocol engines, a modelled WAN with bandwidth, delay, jitter, loss, duplication and partitions,
 * crashes and restarts, Byzantine receivers, and a model of the mirror site's log and state machine. Invariants are
 * checked as the run goes (see {@link Invariants}); violations end up in the {@link SimResult}, never thrown.
 *
 * <p>Pure: no threads, no I/O, no clock reads. All randomness comes from {@link SimConfig#seed()}, so the same
 * configuration gives an equal result every time, on any machine. Events at the same simulated instant run in
 * the order they were scheduled. Calls on different threads may run different simulations concurrently.
 */
public final class Simulation {
    private Simulation() {
    }

    /**
     * Runs {@code config} with the protocol it names.
     *
     * @throws InvalidSimConfigException (field {@code protocol}) if no protocol has that name
     */
    public static SimResult run(SimConfig config) {
        return run(config, resolve(config.protocol()));
    }

    /** Runs {@code config} with {@code protocol}, whatever name the configuration gives (for testing engines). */
    public static SimResult run(SimConfig config, StreamProtocol protocol) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(protocol, "protocol");
        return new SimRun(config, protocol).execute();
    }

    /** The protocol called {@code name}; an {@link InvalidSimConfigException} listing the valid names if none. */
    public static StreamProtocol resolve(String name) {
        try {
            return Protocols.byName(name);
        } catch (IllegalArgumentException e) {
            throw new InvalidSimConfigException("protocol", "must be one of " + String.join(", ", Protocols.names())
                    + ", was '" + name + "'");
        }
    }
}
