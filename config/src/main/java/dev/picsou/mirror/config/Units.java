package dev.picsou.mirror.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations and byte sizes as written in the file. A duration is {@code <number><unit>} with unit ns, us, ms, s,
 * m or h ({@code 250ms}, {@code 1.5s}). A byte size is a plain integer (bytes) or {@code <number><unit>} with unit
 * B, KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024). Units are case-sensitive, a space
 * between number and unit is allowed, and the value must come out whole (nanoseconds, bytes).
 */
public final class Units {
    private static final Pattern NUMBER_UNIT = Pattern.compile("([0-9]+(?:\\.[0-9]+)?) ?([A-Za-z]+)");
    private static final Pattern PLAIN_BYTES = Pattern.compile("[0-9]+");
    private static final String DURATION_EXPECTED = "expected e.g. 250ms, 2s, 1m (units ns, us, ms, s, m, h)";
    private static final String SIZE_EXPECTED =
            "expected e.g. 4096, 256KiB, 64MiB, 1GB (units B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)";

    /** Nanoseconds per duration unit, largest first (the order {@link #formatDuration} tries them). */
    private static final Map<String, Long> NANOS = new LinkedHashMap<>();
    /** Bytes per size unit, in the order {@link #formatBytes} tries them. */
    private static final Map<String, Long> BYTES = new LinkedHashMap<>();

    static {
        NANOS.put("h", 3_600_000_000_000L);
        NANOS.put("m", 60_000_000_000L);
        NANOS.put("s", 1_000_000_000L);
        NANOS.put("ms", 1_000_000L);
        NANOS.put("us", 1_000L);
        NANOS.put("ns", 1L);
        BYTES.put("TiB", 1L << 40);
        BYTES.put("GiB", 1L << 30);
        BYTES.put("MiB", 1L << 20);
        BYTES.put("KiB", 1L << 10);
        BYTES.put("TB", 1_000_000_000_000L);
        BYTES.put("GB", 1_000_000_000L);
        BYTES.put("MB", 1_000_000L);
        BYTES.put("KB", 1_000L);
        BYTES.put("B", 1L);
    }

    private Units() {
    }

    /**
     * Parses a duration such as {@code 250ms}.
     *
     * @throws IllegalArgumentException quoting {@code text} and saying what was expected
     */
    public static Duration parseDuration(String text) {
        Objects.requireNonNull(text, "text");
        Matcher m = NUMBER_UNIT.matcher(text.strip());
        if (!m.matches() || !NANOS.containsKey(m.group(2))) {
            throw new IllegalArgumentException(quote(text) + " is not a duration; " + DURATION_EXPECTED);
        }
        return Duration.ofNanos(whole(text, m.group(1), NANOS.get(m.group(2)), "nanoseconds"));
    }

    /**
     * Parses a byte size such as {@code 64MiB} or {@code 4096}.
     *
     * @throws IllegalArgumentException quoting {@code text} and saying what was expected
     */
    public static long parseBytes(String text) {
        Objects.requireNonNull(text, "text");
        String s = text.strip();
        if (PLAIN_BYTES.matcher(s).matches()) {
            return whole(text, s, 1, "bytes");
        }
        Matcher m = NUMBER_UNIT.matcher(s);
        if (!m.matches() || !BYTES.containsKey(m.group(2))) {
            throw new IllegalArgumentException(quote(text) + " is not a byte size; " + SIZE_EXPECTED);
        }
        return whole(text, m.group(1), BYTES.get(m.group(2)), "bytes");
    }

    /** The shortest exact form in the largest unit that divides it, e.g. {@code 90s}, {@code 2m}; {@code 0s}. */
    public static String formatDuration(Duration d) {
        long nanos = d.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        return exactly(nanos, NANOS);
    }

    /** An exact form, binary units first: {@code 64MiB}, {@code 1GB}, {@code 1234B}. */
    public static String formatBytes(long bytes) {
        if (bytes == 0) {
            return "0B";
        }
        return exactly(bytes, BYTES);
    }

    private static String exactly(long value, Map<String, Long> units) {
        for (Map.Entry<String, Long> u : units.entrySet()) {
            if (value % u.getValue() == 0) {
                return value / u.getValue() + u.getKey();
            }
        }
        throw new AssertionError("the smallest unit is 1");
    }

    private static long whole(String text, String number, long perUnit, String what) {
        BigDecimal value = new BigDecimal(number).multiply(BigDecimal.valueOf(perUnit));
        try {
            return value.toBigIntegerExact().longValueExact();
        } catch (ArithmeticException e) {
            String why = value.stripTrailingZeros().scale() > 0 ? " is not a whole number of " + what
                    : " is too large";
            throw new IllegalArgumentException(quote(text) + why + "; " + ("bytes".equals(what) ? SIZE_EXPECTED
                    : DURATION_EXPECTED), e);
        }
    }

    private static String quote(String text) {
        return "\"" + text + "\"";
    }
}
