package dev.picsou.mirror.bridge.hook;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Keeps test output readable without a logback-test.xml: our hook at INFO, Ratis, gRPC and Netty at WARN. */
final class HookTestLogging {
    private HookTestLogging() {
    }

    static void quiet() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
        for (String noisy : new String[] {"org.apache.ratis", "io.netty", "org.rocksdb"}) {
            ((Logger) LoggerFactory.getLogger(noisy)).setLevel(Level.WARN);
        }
        // A stopped follower makes the leader's appender log every retry.
        ((Logger) LoggerFactory.getLogger("org.apache.ratis.grpc")).setLevel(Level.ERROR);
        // The first request of a client goes to a random server and fails over to the leader, logged as ERROR.
        ((Logger) LoggerFactory.getLogger("org.apache.ratis.client.impl.OrderedAsync")).setLevel(Level.OFF);
        ((Logger) LoggerFactory.getLogger("dev.picsou.mirror.bridge.hook"))
                .setLevel(Level.toLevel(System.getProperty("picsou.test.hookLog"), Level.INFO));
    }
}
