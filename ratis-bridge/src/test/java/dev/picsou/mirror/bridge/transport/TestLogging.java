package dev.picsou.mirror.bridge.transport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Keeps test output readable without a logback-test.xml: INFO for our code, WARN for Netty. */
final class TestLogging {
    private TestLogging() {
    }

    static void quiet() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
        ((Logger) LoggerFactory.getLogger("io.netty")).setLevel(Level.WARN);
        ((Logger) LoggerFactory.getLogger("dev.picsou.mirror.bridge.transport")).setLevel(Level.toLevel(System.getProperty("picsou.test.transportLog"), Level.INFO));
    }
}
