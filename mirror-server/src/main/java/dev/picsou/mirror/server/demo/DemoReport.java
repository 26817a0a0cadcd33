package dev.picsou.mirror.server.demo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a demo run measured. Field names are the {@code --json} keys (a contract with scripts: extend, never rename).
 *
 * @param protocol          the channel protocol
 * @param primarySeq        last seq the primary committed
 * @param mirrorSeq         durable seq of the mirror (lowest replica) after the drain
 * @param quackedSeq        QUACKed seq after the drain (lowest primary replica; the leader's for LL and OTU, whose
 *                          acks go to the leader only; 0 for one-shot, which has no acks)
 * @param digestMatch       the mirror's KV state equals the primary's at that seq, on every replica
 * @param entriesPerS       client writes committed per second during the load
 * @param bareEntriesPerS   the same primary site with mirroring off, same load (-1 when not measured)
 * @param lagP50Ms          median commit-to-QUACK latency on the primary leader
 * @param lagP99Ms          99th percentile of it
 * @param wanCopiesPerEntry entry transmissions by all primary replicas per committed entry
 * @param resends           entry transmissions after the first
 * @param writeP50Ms        client write latency, median
 * @param writeP99Ms        client write latency, 99th percentile
 * @param failedWrites      client writes that failed
 * @param drainMs           time from the end of the load until the mirror held everything
 */
public record DemoReport(String protocol, long primarySeq, long mirrorSeq, long quackedSeq, boolean digestMatch,
                         double entriesPerS, double bareEntriesPerS, double lagP50Ms, double lagP99Ms,
                         double wanCopiesPerEntry, long resends, double writeP50Ms, double writeP99Ms,
                         long failedWrites, long drainMs) {

    /** Whether the run shows what the demo promises: everything mirrored, states equal. */
    public boolean ok() {
        boolean quacked = quackedSeq == primarySeq || "ost".equals(protocol);
        return digestMatch && mirrorSeq == primarySeq && quacked && failedWrites == 0;
    }

    /** The JSON object, keys in a stable order. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", protocol);
        m.put("primary_seq", primarySeq);
        m.put("mirror_seq", mirrorSeq);
        m.put("quacked_seq", quackedSeq);
        m.put("digest_match", digestMatch);
        m.put("entries_per_s", round(entriesPerS));
        m.put("bare_entries_per_s", round(bareEntriesPerS));
        m.put("lag_p50_ms", round(lagP50Ms));
        m.put("lag_p99_ms", round(lagP99Ms));
        m.put("wan_copies_per_entry", round(wanCopiesPerEntry));
        m.put("resends", resends);
        m.put("write_p50_ms", round(writeP50Ms));
        m.put("write_p99_ms", round(writeP99Ms));
        m.put("failed_writes", failedWrites);
        m.put("drain_ms", drainMs);
        m.put("ok", ok());
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
