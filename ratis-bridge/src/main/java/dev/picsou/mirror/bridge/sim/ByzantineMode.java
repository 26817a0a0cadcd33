package dev.picsou.mirror.bridge.sim;

/**
 * How a Byzantine receiving replica misbehaves in the simulation. Every mode re-signs what it sends with the pair
 * keys it really holds, so its lies verify.
 */
public enum ByzantineMode {
    /** Never delivers an entry and never sends a frame (but is not counted as crashed). */
    DROP_ALL,
    /** Never delivers a seeded random half of the entries it receives; otherwise runs the real engine. */
    DROP_SELECTIVE,
    /** Claims {@code received = durable = entries + 1,000,000} in every ack, trying to fake QUACKs. */
    ACK_HIGH,
    /** Claims {@code received = durable = 0} with an all-zero φ-list in every ack, trying to force resends. */
    ACK_LOW,
    /** Keeps sending its first ack that had a non-zero prefix, forever, instead of each newer ack. */
    ACK_STALE;

    /** The lower-case, dash-separated name used on the command line, e.g. {@code drop-selective}. */
    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The mode whose {@link #cliName()} or enum name is {@code name} (case-insensitive). */
    public static ByzantineMode parse(String name) {
        String normalized = name.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (ByzantineMode m : values()) {
            if (m.name().equals(normalized)) {
                return m;
            }
        }
        StringBuilder valid = new StringBuilder();
        for (ByzantineMode m : values()) {
            valid.append(valid.length() == 0 ? "" : ", ").append(m.cliName());
        }
        throw new IllegalArgumentException("unknown Byzantine mode '" + name + "', valid: " + valid);
    }
}
