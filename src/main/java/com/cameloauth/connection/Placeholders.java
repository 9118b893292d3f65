package com.cameloauth.connection;

import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.smallrye.config.ConfigValue;
import io.smallrye.config.Expressions;
import io.smallrye.config.SmallRyeConfig;

/**
 * Finds connection values whose placeholder was not resolved, so that the placeholder text is never sent as a
 * credential and the user learns which variable is missing, rather than "missing" for a key that is set.
 */
final class Placeholders {
    /** {@code ${NAME}} without a default. */
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^:}{$]+)}");
    /** {@code ${env:NAME}}: SmallRye Config reads it as the property {@code env} with the default {@code NAME}. */
    private static final Pattern ENV_EXPRESSION = Pattern.compile("\\$\\{env:([^}{$]+)}");
    /** A Camel placeholder, {@code {{NAME}}}, {@code {{env:NAME}}} or {@code {{vault:path}}}, left as text. */
    private static final Pattern CAMEL = Pattern.compile("\\{\\{([^{}]+)}}");

    private Placeholders() {
    }

    /** Property name to problem, for every {@code oauth.*} property of the config (connections and store). */
    static Map<String, String> unresolved(SmallRyeConfig config, Iterable<String> propertyNames) {
        Map<String, String> problems = new TreeMap<>();
        for (String name : propertyNames) {
            if (name.startsWith("oauth.")) {
                String problem = problem(config, name);
                if (problem != null) {
                    problems.put(name, problem);
                }
            }
        }
        return problems;
    }

    private static String problem(SmallRyeConfig config, String name) {
        String raw = Expressions.withoutExpansion(() -> config.getRawValue(name));
        if (raw == null) {
            return null;
        }
        Matcher env = ENV_EXPRESSION.matcher(raw);
        if (env.find()) {
            return "'" + env.group() + "' is not an environment lookup in this configuration: write ${" + env.group(1) + "}";
        }
        ConfigValue value;
        try {
            value = config.getConfigValue(name);
        } catch (NoSuchElementException | IllegalArgumentException e) {
            value = null;
        }
        if (value == null || value.getValue() == null) {
            return missingVariable(config, raw);
        }
        Matcher camel = CAMEL.matcher(value.getValue());
        if (camel.find()) {
            return "'" + camel.group() + "' was not resolved: {{...}} placeholders work in Camel properties only; here"
                    + " write " + expressionFor(camel.group(1));
        }
        return null;
    }

    /** The first {@code ${NAME}} whose NAME has no value. */
    private static String missingVariable(SmallRyeConfig config, String raw) {
        Matcher m = EXPRESSION.matcher(raw);
        while (m.find()) {
            String variable = m.group(1);
            ConfigValue v = Expressions.withoutExpansion(() -> config.getConfigValue(variable));
            if (v == null || v.getRawValue() == null) {
                return "variable '" + variable + "' is not set (" + m.group() + ")";
            }
        }
        return "a ${...} expression in it could not be expanded";
    }

    /** The SmallRye Config expression for a Camel placeholder: {@code env:X} and {@code sys:X} become {@code ${X}}. */
    private static String expressionFor(String placeholder) {
        int colon = placeholder.indexOf(':');
        if (colon < 0) {
            return "${" + placeholder + "}";
        }
        String function = placeholder.substring(0, colon);
        if (function.equals("env") || function.equals("sys")) {
            return "${" + placeholder.substring(colon + 1).split(":", 2)[0] + "}";
        }
        return "a ${...} expression, or the Quarkus extension of that vault";
    }
}
