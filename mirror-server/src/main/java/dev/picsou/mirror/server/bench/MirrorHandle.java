package dev.picsou.mirror.server.bench;

import java.io.IOException;
import java.util.List;

/** The bench runner's view of the mirror site, in this process or in a child process. */
interface MirrorHandle extends AutoCloseable {
    /** Highest durable seq among running mirror replicas (a recent value for a child). */
    long durableMax();

    /** Lowest durable seq among running mirror replicas (a recent value for a child). */
    long durableMin();

    /** Bytes the mirror's transports sent so far. */
    long bytesSent();

    /** Index of the mirror site's leader, or -1. */
    int leader();

    /** The replicas' checks, after the drain. */
    List<MirrorSite.ReplicaCheck> verify() throws IOException;

    @Override
    void close();

    /** The mirror site in this JVM. */
    static MirrorHandle inProcess(MirrorSite site) {
        return new MirrorHandle() {
            @Override
            public long durableMax() {
                return site.durableMax();
            }

            @Override
            public long durableMin() {
                return site.durableMin();
            }

            @Override
            public long bytesSent() {
                return site.bytesSent();
            }

            @Override
            public int leader() {
                return site.leader();
            }

            @Override
            public List<MirrorSite.ReplicaCheck> verify() {
                return site.verify();
            }

            @Override
            public void close() {
                site.close();
            }
        };
    }
}
