package com.cameloauth.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's {@code ```properties} examples, for tests that run them as written: the block under a heading that
 * holds a marker, its {@code key=value} lines (comments skipped; the value is everything after the first '='), with
 * literal replacements (test servers' URLs for the example hosts, values for {@code ${ENV}} placeholders).
 */
public final class ReadmeExamples {
    private static final Path README = Path.of("README.md");

    private ReadmeExamples() {
    }

    /** The properties of the first block after {@code heading} (a line starting with it) that contains {@code marker}. */
    public static Map<String, String> block(String heading, String marker, Map<String, String> replacements) {
        String readme;
        try {
            readme = Files.readString(README);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int start = readme.indexOf("\n" + heading + "\n");
        if (start < 0) {
            throw new AssertionError("README.md has no heading '" + heading + "'");
        }
        Matcher blocks = Pattern.compile("```properties\n(.*?)```", Pattern.DOTALL).matcher(readme);
        int from = start;
        while (blocks.find(from)) {
            from = blocks.end();
            String block = blocks.group(1);
            if (!block.contains(marker)) {
                continue;
            }
            Map<String, String> properties = new LinkedHashMap<>();
            for (String line : block.split("\n")) {
                String trimmed = line.trim();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] kv = trimmed.split("=", 2);
                String value = kv[1].trim();
                for (Map.Entry<String, String> r : replacements.entrySet()) {
                    value = value.replace(r.getKey(), r.getValue());
                }
                properties.put(kv[0].trim(), value);
            }
            return properties;
        }
        throw new AssertionError("README.md has no properties block with '" + marker + "' after '" + heading + "'");
    }
}
