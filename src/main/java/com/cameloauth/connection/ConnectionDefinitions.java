package com.cameloauth.connection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SysPropConfigSource;

import com.cameloauth.connection.SecurityPolicyReader.Support;

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
        return validate(config, new ArrayList<>(), Map.of(), Support.ENGINE).connections();
    }

    /**
     * Validates a mapping together with the property names it was built from, so that an unknown key under
     * {@code oauth.} (a typo such as {@code client-secrte}) is reported with every other problem. Problems are sorted,
     * so each connection's lines stand together.
     */
    public static Map<String, ConnectionDefinition> from(OAuthConfig config, Iterable<String> propertyNames) {
        return validate(config, new ArrayList<>(ConnectionKeys.unknown(propertyNames)), Map.of(), Support.ENGINE)
                .connections();
    }

    /**
     * Validates a mapping with everything the config knows: unknown keys, {@code OAUTH_CONNECTIONS_*} environment
     * variables that name no key, and values whose {@code ${...}} or {@code {{...}}} placeholder was not resolved (each
     * named with its variable, never sent as a credential). This is what the Quarkus app calls.
     */
    public static Map<String, ConnectionDefinition> from(OAuthConfig config, Config rawConfig) {
        return settings(config, rawConfig).connections();
    }

    /** {@link #from(OAuthConfig, Config)}, with the token store settings ({@code oauth.store.*}). */
    public static OAuthSettings settings(OAuthConfig config, Config rawConfig) {
        return from(config, rawConfig, Map.of(), Support.ENGINE);
    }

    private static OAuthSettings from(OAuthConfig config, Config rawConfig, Map<String, String> unresolvedBySource,
            Support support) {
        SmallRyeConfig smallRye = rawConfig.unwrap(SmallRyeConfig.class);
        List<String> names = new ArrayList<>();
        smallRye.getPropertyNames().forEach(names::add);
        EnvironmentConnections env = EnvironmentConnections.of(smallRye.getConfigSources(), names.iterator());
        List<String> problems = new ArrayList<>(ConnectionKeys.unknown(names, env::isReadingOfVariable));
        problems.addAll(env.problems());
        Map<String, String> unresolved = new TreeMap<>(Placeholders.unresolved(smallRye, names));
        unresolved.putAll(unresolvedBySource);
        return validate(config, problems, unresolved, support);
    }

    /** The connections and the store, or one exception with the given problems and every problem found here. */
    private static OAuthSettings validate(OAuthConfig config, List<String> problems, Map<String, String> unresolved,
            Support support) {
        Map<String, Map<String, String>> unresolvedByConnection = new HashMap<>();
        Map<String, String> unresolvedGlobal = new TreeMap<>();
        unresolved.forEach((property, problem) -> {
            Matcher m = CONNECTION_KEY.matcher(property);
            if (m.matches()) {
                unresolvedByConnection.computeIfAbsent(m.group(1).replace("\"", ""), n -> new TreeMap<>())
                        .put(m.group(2), problem);
            } else {
                ConnectionKeys.global(property).ifPresent(key -> unresolvedGlobal.put(key, problem));
            }
        });
        StoreSettings store = StoreSettings.read(config.store(), problems, unresolvedGlobal);
        Map<String, ConnectionDefinition> result = new TreeMap<>();
        config.connections().forEach((name, connection) -> {
            ConnectionDefinition definition = new ConnectionReader(name, connection, problems,
                    unresolvedByConnection.getOrDefault(name, Map.of()), support).read();
            if (definition != null) {
                result.put(name, definition);
            }
        });
        if (!problems.isEmpty()) {
            problems.sort(null);
            throw new ConnectionConfigurationException(problems);
        }
        return new OAuthSettings(result, store);
    }

    /**
     * Builds the mapping over the given config sources (for example Camel's properties) plus environment variables
     * (including {@code OAUTH_CONNECTIONS_<NAME>_<KEY>}, see {@link EnvironmentConnections}) and system properties,
     * then validates it. Unknown keys under {@code oauth.} and unresolved placeholders are reported.
     */
    public static Map<String, ConnectionDefinition> load(List<ConfigSource> sources) {
        return loadSettings(sources).connections();
    }

    /** {@link #load(List)}, with the token store settings ({@code oauth.store.*}). */
    public static OAuthSettings loadSettings(List<ConfigSource> sources) {
        return load(sources, System.getenv(), Support.ENGINE);
    }

    /** {@link #load(List)} with the given map as the environment, so tests can set environment variables. */
    static Map<String, ConnectionDefinition> load(List<ConfigSource> sources, Map<String, String> environment) {
        return load(sources, environment, Support.ENGINE).connections();
    }

    /**
     * {@link #load(List)} with the given environment, reading as far as {@code support} says: {@link Support#MODEL}
     * also reads the policies the engine does not run yet, for the model's tests.
     */
    static OAuthSettings load(List<ConfigSource> sources, Map<String, String> environment, Support support) {
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
        return from(config.getConfigMapping(OAuthConfig.class), config, unresolved, support);
    }

    /**
     * Reads one connection again, each time it is called, from the config sources {@code sources} gives then (a
     * Camel properties snapshot taken anew, a vault's config source): what the engine calls after {@code invalid_client}
     * to pick up a rotated client secret or key file. Empty when the configuration no longer validates.
     */
    public static Function<String, Optional<ConnectionDefinition>> rereading(Supplier<List<ConfigSource>> sources) {
        return name -> {
            try {
                return Optional.ofNullable(load(sources.get(), System.getenv(), Support.ENGINE).connections().get(name));
            } catch (ConnectionConfigurationException e) {
                return Optional.empty();
            }
        };
    }

    /** {@link #rereading(Supplier)} over the sources of a SmallRye config (the Quarkus app's). */
    public static Function<String, Optional<ConnectionDefinition>> rereading(Config rawConfig) {
        SmallRyeConfig smallRye = rawConfig.unwrap(SmallRyeConfig.class);
        return rereading(() -> {
            List<ConfigSource> sources = new ArrayList<>();
            smallRye.getConfigSources().forEach(sources::add);
            return sources;
        });
    }

    /** Builds and validates connections from plain properties ({@code oauth.connections.<name>.<key>=value}). */
    public static Map<String, ConnectionDefinition> fromProperties(Map<String, String> properties) {
        return load(List.of(new PropertiesConfigSource(properties, "properties", 250)));
    }

    /**
     * Every {@code oauth.*} key of plain properties, read as far as {@code support} says. Visible for tests: the
     * policies that have a record but no engine yet are read with {@link Support#MODEL}.
     */
    static OAuthSettings settingsFromProperties(Map<String, String> properties, Support support) {
        return load(List.of(new PropertiesConfigSource(properties, "properties", 250)), Map.of(), support);
    }
}
