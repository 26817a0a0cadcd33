package dev.picsou.mirror.server.site;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.List;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Quiets the libraries an in-JVM site runs: Ratis logs about 430 lines per run at INFO, and its shaded gRPC and
 * Netty print harmless stack traces at startup. Sets {@link #NOISY_LOGGERS} to WARN, but only those that the logging
 * configuration left without a level of their own, so a logback file that names them wins. A no-op when the SLF4J
 * backend is not logback.
 */
public final class SiteLogging {

    /** The logger prefixes set to WARN. */
    public static final List<String> NOISY_LOGGERS = List.of("org.apache.ratis", "io.netty", "io.grpc");

    private SiteLogging() {
    }

    /** Idempotent; cheap enough to call on every site creation. */
    public static void quietLibraries() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return;
        }
        for (String name : NOISY_LOGGERS) {
            Logger logger = context.getLogger(name);
            if (logger.getLevel() == null) {
                logger.setLevel(Level.WARN);
            }
        }
    }
}
