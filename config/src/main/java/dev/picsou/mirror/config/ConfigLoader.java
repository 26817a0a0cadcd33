package dev.picsou.mirror.config;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Loads a deployment file (docs/config.md) into a validated {@link DeploymentConfig}. Reading happens in three
 * steps, each reporting every problem it finds before the next step runs: the YAML syntax (stops at the first
 * error), the keys and values of each mapping (unknown or missing keys, wrong types, bad values), then the checks
 * across fields (ids, addresses, site sizes, timeouts, TLS stores). Stateless and thread-safe.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /**
     * Reads and validates {@code file} (UTF-8).
     *
     * @throws ConfigException with every problem found, or with one problem (line 0) if the file cannot be read
     */
    public static DeploymentConfig load(Path file) throws ConfigException {
        Problems problems = new Problems(file);
        String yaml;
        try {
            if (Files.isDirectory(file)) {
                throw problems.single(0, "", "is a directory; expected a YAML file");
            }
            yaml = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw problems.single(0, "", "no such file; expected a readable YAML file");
        } catch (MalformedInputException e) {
            throw problems.single(0, "", "is not UTF-8 text; expected a YAML file in UTF-8");
        } catch (IOException e) {
            throw problems.single(0, "", "cannot be read (" + e + "); expected a readable YAML file");
        }
        return parse(yaml, file);
    }

    /**
     * Reads and validates {@code yaml} as if it were the content of {@code source}: {@code source} names the file
     * in problems, and relative paths in the file resolve against its directory. Nothing is read from
     * {@code source} itself; TLS stores named in the file are.
     *
     * @throws ConfigException with every problem found
     */
    public static DeploymentConfig parse(String yaml, Path source) throws ConfigException {
        Problems problems = new Problems(source);
        Optional<YamlNode> root = YamlTreeReader.read(yaml, problems);
        if (root.isEmpty()) {
            throw problems.single(1, "", "the file is empty; expected a mapping with keys "
                    + String.join(", ", DeploymentReader.TOP_KEYS));
        }
        Optional<DeploymentConfig> config = new DeploymentReader(source, problems).read(root.get());
        problems.throwIfAny();
        new Validator(new Locations(root.get()), problems).check(config.orElseThrow());
        problems.throwIfAny();
        return config.get();
    }
}
