package dev.picsou.mirror.server.ops;

/**
 * An operator command could not do what was asked; the message says why and what to do. {@link #exitCode()} is the
 * CLI's: 1 refused or failed, 3 a node it needs is unreachable.
 */
public final class OperationException extends Exception {
    private static final long serialVersionUID = 1L;
    /** Exit code: the operation was refused or failed. */
    public static final int FAILED = 1;
    /** Exit code: a node the operation needs did not answer. */
    public static final int UNREACHABLE = 3;

    private final int exitCode;

    public OperationException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public OperationException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
