package dev.picsou.mirror.server.site;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Quiets the libraries an in-JVM site runs: Ratis logs about 430 lines per run at INFO, its shaded gRPC and Netty
 * print harmless stack traces at startup, and while a node is down its leader's log appender warns several times
 * per heartbeat ("Follower failed ... retry") and the ordered async client logs every not-leader redirect at ERROR.
 * Sets each logger of {@link #LEVELS} to its level, but only if the logging configuration left it without a level
 * of its own, so a logback file that names it wins. A no-op when the SLF4J backend is not logback.
 *
 * <p>Nothing is lost by the last two: a follower that stays down shows in the site's status, and a client request
 * that finally fails completes its future exceptionally.
 */
public final class SiteLogging {

    /** Logger name to level, applied in this order (prefixes first). */
    public static final Map<String, Level> LEVELS = levels();

    private SiteLogging() {
    }

    /** Idempotent; cheap enough to call on every site creation. */
    public static void quietLibraries() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return;
        }
        LEVELS.forEach((name, level) -> {
            Logger logger = context.getLogger(name);
            if (logger.getLevel() == null) {
                logger.setLevel(level);
            }
        });
    }

    private static Map<String, Level> levels() {
        Map<String, Level> levels = new LinkedHashMap<>();
        levels.put("org.apache.ratis", Level.WARN);
        levels.put("io.netty", Level.WARN);
        levels.put("io.grpc", Level.WARN);
        levels.put("org.apache.ratis.grpc.server.GrpcLogAppender", Level.ERROR);
        levels.put("org.apache.ratis.client.impl.OrderedAsync", Level.OFF);
        return Collections.unmodifiableMap(levels);
    }
}
