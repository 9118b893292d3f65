package com.cameloauth.connection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SysPropConfigSource;

/**
 * Turns the {@link OAuthConfig} mapping into validated {@link ConnectionDefinition}s. Every problem in every
 * connection is collected first; then one {@link ConnectionConfigurationException} reports them all.
 */
public final class ConnectionDefinitions {
    private static final Pattern CONNECTION_KEY = Pattern.compile("oauth\\.connections\\.(\"[^\"]+\"|[^.\"]+)\\.(.+)");

    private ConnectionDefinitions() {
    }

    /** Validates a mapping that Quarkus (or another SmallRye Config user) already built. */
    public static Map<String, ConnectionDefinition> from(OAuthConfig config) {
        return validate(config, new ArrayList<>(), Map.of());
    }

    /**
     * Validates a mapping together with the property names it was built from, so that an unknown key under
     * {@code oauth.} (a typo such as {@code client-secrte}) is reported with every other problem. Problems are sorted,
     * so each connection's lines stand together.
     */
    public static Map<String, ConnectionDefinition> from(OAuthConfig config, Iterable<String> propertyNames) {
        return validate(config, new ArrayList<>(ConnectionKeys.unknown(propertyNames)), Map.of());
    }

    /**
     * Validates a mapping with everything the config knows: unknown keys, {@code OAUTH_CONNECTIONS_*} environment
     * variables that name no key, and values whose {@code ${...}} or {@code {{...}}} placeholder was not resolved (each
     * named with its variable, never sent as a credential). This is what the Quarkus app calls.
     */
    public static Map<String, ConnectionDefinition> from(OAuthConfig config, Config rawConfig) {
        return from(config, rawConfig, Map.of());
    }

    private static Map<String, ConnectionDefinition> from(OAuthConfig config, Config rawConfig,
            Map<String, String> unresolvedBySource) {
        SmallRyeConfig smallRye = rawConfig.unwrap(SmallRyeConfig.class);
        List<String> names = new ArrayList<>();
        smallRye.getPropertyNames().forEach(names::add);
        EnvironmentConnections env = EnvironmentConnections.of(smallRye.getConfigSources(), names.iterator());
        List<String> problems = new ArrayList<>(ConnectionKeys.unknown(names, env::isReadingOfVariable));
        problems.addAll(env.problems());
        Map<String, String> unresolved = new TreeMap<>(Placeholders.unresolved(smallRye, names));
        unresolved.putAll(unresolvedBySource);
        return validate(config, problems, unresolved);
    }

    /** The connections, or one exception with the given problems and every problem of every connection. */
    private static Map<String, ConnectionDefinition> validate(OAuthConfig config, List<String> problems,
            Map<String, String> unresolved) {
        Map<String, Map<String, String>> unresolvedByConnection = new HashMap<>();
        unresolved.forEach((property, problem) -> {
            Matcher m = CONNECTION_KEY.matcher(property);
            if (m.matches()) {
                unresolvedByConnection.computeIfAbsent(m.group(1).replace("\"", ""), n -> new TreeMap<>())
                        .put(m.group(2), problem);
            }
        });
        Map<String, ConnectionDefinition> result = new TreeMap<>();
        config.connections().forEach((name, connection) -> {
            ConnectionDefinition definition = new ConnectionReader(name, connection, problems,
                    unresolvedByConnection.getOrDefault(name, Map.of())).read();
            if (definition != null) {
                result.put(name, definition);
            }
        });
        if (!problems.isEmpty()) {
            problems.sort(null);
            throw new ConnectionConfigurationException(problems);
        }
        return Map.copyOf(result);
    }

    /**
     * Builds the mapping over the given config sources (for example Camel's properties) plus environment variables
     * (including {@code OAUTH_CONNECTIONS_<NAME>_<KEY>}, see {@link EnvironmentConnections}) and system properties,
     * then validates it. Unknown keys under {@code oauth.} and unresolved placeholders are reported.
     */
    public static Map<String, ConnectionDefinition> load(List<ConfigSource> sources) {
        return load(sources, System.getenv());
    }

    /** {@link #load(List)} with the given map as the environment, so tests can set environment variables. */
    static Map<String, ConnectionDefinition> load(List<ConfigSource> sources, Map<String, String> environment) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withSources(new EnvConfigSource(environment, EnvConfigSource.ORDINAL), new SysPropConfigSource())
                .withSources(sources.toArray(ConfigSource[]::new))
                .withSources(new EnvironmentConnectionsFactory())
                .withMapping(OAuthConfig.class)
                .withValidateUnknown(false)
                .build();
        Map<String, String> unresolved = new TreeMap<>();
        for (ConfigSource source : sources) {
            if (source instanceof UnresolvedValues values) {
                unresolved.putAll(values.unresolved());
            }
        }
        return from(config.getConfigMapping(OAuthConfig.class), config, unresolved);
    }

    /** Builds and validates connections from plain properties ({@code oauth.connections.<name>.<key>=value}). */
    public static Map<String, ConnectionDefinition> fromProperties(Map<String, String> properties) {
        return load(List.of(new PropertiesConfigSource(properties, "properties", 250)));
    }
}
