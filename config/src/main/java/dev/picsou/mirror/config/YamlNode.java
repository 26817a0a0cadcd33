package dev.picsou.mirror.config;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** A YAML value with the 1-based line it starts on, as {@link YamlTreeReader} reads it. Immutable. */
sealed interface YamlNode permits YamlNode.Scalar, YamlNode.Mapping, YamlNode.Sequence {

    int line();

    /** How the value reads in an error message: {@code "abc"}, {@code 42}, {@code a list}, ... */
    String describe();

    /** How YAML typed a scalar. */
    enum Kind { STRING, INTEGER, FLOAT, BOOLEAN, NULL }

    /**
     * A scalar as written.
     *
     * @param integer the value when {@code kind} is INTEGER (YAML also reads {@code 0x10} and {@code 8_192}), else
     *                null
     */
    record Scalar(Kind kind, String text, BigInteger integer, int line) implements YamlNode {
        @Override
        public String describe() {
            return kind == Kind.STRING ? "\"" + text + "\"" : kind == Kind.NULL ? "an empty value" : text;
        }
    }

    /** A key of a mapping, the line of the key, and its value. */
    record Entry(String key, int line, YamlNode value) {
    }

    /** A mapping, keys in file order, each key once. */
    record Mapping(Map<String, Entry> entries, int line) implements YamlNode {
        @Override
        public String describe() {
            return "a mapping";
        }
    }

    /** A list. */
    record Sequence(List<YamlNode> items, int line) implements YamlNode {
        @Override
        public String describe() {
            return "a list";
        }
    }
}
