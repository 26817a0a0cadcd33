package dev.picsou.mirror.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.picsou.mirror.config.YamlNode.Entry;
import dev.picsou.mirror.config.YamlNode.Kind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads one YAML document into a {@link YamlNode} tree that keeps the line of every key and value, with Jackson's
 * streaming YAML parser. Syntax errors, aliases ({@code *name}), binary values and a second document stop the
 * reading; duplicate keys are reported to {@link Problems} (the first one wins) and reading goes on.
 */
final class YamlTreeReader {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final YAMLParser parser;
    private final Problems problems;

    private YamlTreeReader(YAMLParser parser, Problems problems) {
        this.parser = parser;
        this.problems = problems;
    }

    /**
     * The document's root value, or empty when the file holds no value (nothing, comments, or {@code ~}).
     *
     * @throws ConfigException for a YAML syntax error or a construct this reader does not accept, with its line
     */
    static Optional<YamlNode> read(String yaml, Problems problems) throws ConfigException {
        try (YAMLParser parser = FACTORY.createParser(yaml)) {
            YamlTreeReader reader = new YamlTreeReader(parser, problems);
            if (parser.nextToken() == null) {
                return Optional.empty();
            }
            YamlNode root = reader.value("");
            if (parser.nextToken() != null) {
                throw problems.single(reader.line(), "", "a second YAML document starts here; expected one "
                        + "document (no second '---')");
            }
            return root instanceof YamlNode.Scalar s && s.kind() == Kind.NULL ? Optional.empty() : Optional.of(root);
        } catch (JsonProcessingException e) {
            throw syntaxError(e, problems);
        } catch (IOException e) {
            throw new IllegalStateException("reading YAML from a string failed", e);
        }
    }

    /** The value that starts at the current token; {@code at} is its field path, for messages. */
    private YamlNode value(String at) throws IOException, ConfigException {
        int line = line();
        if (parser.isCurrentAlias()) {
            throw problems.single(line, at, "aliases (*" + parser.getText() + ") are not supported; expected the "
                    + "value written out");
        }
        JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> mapping(at, line);
            case START_ARRAY -> sequence(at, line);
            case VALUE_STRING -> new YamlNode.Scalar(Kind.STRING, parser.getText(), null, line);
            case VALUE_NUMBER_INT -> new YamlNode.Scalar(Kind.INTEGER, parser.getText(),
                    parser.getBigIntegerValue(), line);
            case VALUE_NUMBER_FLOAT -> new YamlNode.Scalar(Kind.FLOAT, parser.getText(), null, line);
            case VALUE_TRUE, VALUE_FALSE -> new YamlNode.Scalar(Kind.BOOLEAN, parser.getText(), null, line);
            case VALUE_NULL -> new YamlNode.Scalar(Kind.NULL, "", null, line);
            default -> throw problems.single(line, at, "a " + token + " value is not supported; expected a "
                    + "string, a number, true/false, a list or a mapping");
        };
    }

    private YamlNode.Mapping mapping(String at, int line) throws IOException, ConfigException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            int keyLine = line();
            String field = at.isEmpty() ? key : at + "." + key;
            parser.nextToken();
            YamlNode value = value(field);
            Entry first = entries.get(key);
            if (first != null) {
                problems.add(keyLine, field, "duplicate key (first at line " + first.line() + "); expected each "
                        + "key once per mapping");
            } else {
                entries.put(key, new Entry(key, keyLine, value));
            }
        }
        return new YamlNode.Mapping(Collections.unmodifiableMap(entries), line);
    }

    private YamlNode.Sequence sequence(String at, int line) throws IOException, ConfigException {
        List<YamlNode> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            items.add(value(at + "[" + items.size() + "]"));
        }
        return new YamlNode.Sequence(List.copyOf(items), line);
    }

    private int line() {
        return parser.currentTokenLocation().getLineNr();
    }

    private static ConfigException syntaxError(JsonProcessingException e, Problems problems) {
        if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
            String context = m.getContext() == null ? "" : " (" + m.getContext() + ")";
            return problems.single(m.getProblemMark().getLine() + 1, "",
                    "YAML syntax error: " + m.getProblem() + context + "; expected valid YAML");
        }
        JsonLocation where = e.getLocation();
        String what = e.getOriginalMessage().lines().findFirst().orElse("unreadable");
        return problems.single(where == null ? 0 : Math.max(where.getLineNr(), 0), "",
                "YAML syntax error: " + what + "; expected valid YAML");
    }
}
