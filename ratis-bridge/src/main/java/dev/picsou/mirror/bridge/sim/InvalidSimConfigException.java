package dev.picsou.mirror.bridge.sim;

/**
 * A {@link SimConfig} value is out of range or inconsistent. {@link #field()} names the offending builder field
 * (e.g. {@code loss}) so a front end can name its own option; {@link #problem()} says what is wrong, e.g.
 * {@code must be in [0, 1), was 1.5}; the message is {@code field + " " + problem}.
 */
public final class InvalidSimConfigException extends IllegalArgumentException {
    private final String field;
    private final String problem;

    public InvalidSimConfigException(String field, String problem) {
        super(field + " " + problem);
        this.field = field;
        this.problem = problem;
    }

    /** The {@link SimConfig} field (and builder method) at fault. */
    public String field() {
        return field;
    }

    /** What is wrong with it, without the field name. */
    public String problem() {
        return problem;
    }
}
