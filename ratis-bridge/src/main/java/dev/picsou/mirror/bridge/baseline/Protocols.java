package dev.picsou.mirror.bridge.baseline;

import dev.picsou.mirror.bridge.picsou.Picsou;
import dev.picsou.mirror.bridge.picsou.StreamProtocol;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** Every stream protocol by its command-line name: Picsou and the baselines it is measured against. */
public final class Protocols {
    private static final Map<String, StreamProtocol> BY_NAME = byName(
            Picsou.INSTANCE, AllToAll.INSTANCE, LeaderToLeader.INSTANCE, Otu.INSTANCE, OneShot.INSTANCE);

    private Protocols() {
    }

    /**
     * The protocol called {@code name}, ignoring case.
     *
     * @throws IllegalArgumentException if no protocol has that name; the message lists the valid names
     */
    public static StreamProtocol byName(String name) {
        Objects.requireNonNull(name, "name");
        StreamProtocol protocol = BY_NAME.get(name.trim().toLowerCase(Locale.ROOT));
        if (protocol == null) {
            throw new IllegalArgumentException("unknown stream protocol '" + name + "'; valid names: "
                    + String.join(", ", names()));
        }
        return protocol;
    }

    /** The valid names, Picsou first: {@code picsou, ata, ll, otu, ost}. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    private static Map<String, StreamProtocol> byName(StreamProtocol... protocols) {
        Map<String, StreamProtocol> map = new LinkedHashMap<>();
        for (StreamProtocol p : protocols) {
            map.put(p.name(), p);
        }
        return map;
    }
}
