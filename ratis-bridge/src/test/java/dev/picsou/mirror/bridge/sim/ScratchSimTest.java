package dev.picsou.mirror.bridge.sim;

import dev.picsou.mirror.bridge.picsou.*;
import java.util.*;
import org.junit.jupiter.api.Test;

class ScratchSimTest {
    @Test
    void run() {
        List<Object> engines = new ArrayList<>();
        StreamProtocol p = new StreamProtocol() {
            public String name() { return "picsou"; }
            public boolean claimsC3B() { return true; }
            public StreamSender newSender(int i, PicsouParams pp, long r) { var s = new PicsouSender(i, pp, r); engines.add(s); return s; }
            public StreamReceiver newReceiver(int i, PicsouParams pp) { var r = new PicsouReceiver(i, pp); engines.add(r); return r; }
        };
        SimConfig c = System.getProperty("mix") != null ? CampaignConfigs.random("picsou", CampaignConfigs.Mix.valueOf(System.getProperty("mix")), Long.getLong("seed")) : SimConfig.builder().senders(Integer.getInteger("ns", 4)).receivers(Integer.getInteger("nr", 4)).entryBytes(Integer.getInteger("eb", 1024)).uplinkMbps(Double.parseDouble(System.getProperty("mbps", "1000"))).entries(Integer.getInteger("n", 20000)).crashSenders(Integer.getInteger("cs", 1)).crashReceivers(Integer.getInteger("cr", 1)).loss(Double.parseDouble(System.getProperty("loss", "0.01"))).seed(1).build();
        System.out.println(c.describe());
        SimResult r = Simulation.run(c, p);
        System.out.println(r.summary());
        for (Object e : engines) if (e instanceof PicsouSender s) System.out.println("acks=" + s.lossesDetectedByAcks() + " timeout=" + s.lossesDetectedByTimeout() + " resends=" + s.resends() + " " + s);
    }
}
