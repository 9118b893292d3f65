package com.cameloauth.connection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.EnvConfigSource;

/**
 * Environment variables {@code OAUTH_CONNECTIONS_<NAME>_<KEY>} as connection properties. SmallRye Config alone cannot
 * split {@code OAUTH_CONNECTIONS_ORDERS_API_CLIENT_SECRET} when the connection {@code orders-api} is not already
 * known from another source (it guesses {@code orders.api.client.secret}). The rule here:
 * <ol>
 * <li>the variable ends with a connection key ({@code CLIENT_SECRET} is {@code client-secret}); the longest key that
 * fits wins, since the keys are a fixed set;</li>
 * <li>what comes before it is the connection: a connection of that name defined in any other source wins
 * ({@code orders-api}, {@code "partner.api"} for {@code PARTNER_API}); otherwise the name is lowercased, with
 * {@code _} as {@code -} ({@code ORDERS_V2} is {@code orders-v2}).</li>
 * </ol>
 * SmallRye's own quoted form ({@code OAUTH_CONNECTIONS__PARTNER_API__CLIENT_SECRET}) is left to SmallRye Config.
 */
final class EnvironmentConnections {
    static final String PREFIX = "OAUTH_CONNECTIONS_";
    private static final Pattern CONNECTION_KEY = Pattern.compile("oauth\\.connections\\.(\"[^\"]+\"|[^.\"]+)\\.([a-z0-9-]+)");

    /** Connection property name to value. */
    private final Map<String, String> properties = new TreeMap<>();
    /** Every {@code OAUTH_CONNECTIONS_*} variable. */
    private final Set<String> variables = new HashSet<>();
    private final List<String> problems = new ArrayList<>();

    /**
     * @param environment variable name to value, lowest precedence first (a later value of the same name wins)
     * @param knownNames  property names from every source, to learn the connection names defined elsewhere
     */
    EnvironmentConnections(Map<String, String> environment, Iterator<String> knownNames) {
        Set<String> connections = new HashSet<>();
        knownNames.forEachRemaining(n -> {
            Matcher m = CONNECTION_KEY.matcher(n);
            if (m.matches() && ConnectionKeys.KNOWN.contains(m.group(2))) {
                connections.add(m.group(1).replace("\"", ""));
            }
        });
        environment.forEach((variable, value) -> {
            if (!variable.startsWith(PREFIX) || variable.contains("__")) {
                return;
            }
            variables.add(variable);
            Optional<String> property = propertyName(variable.substring(PREFIX.length()), connections);
            if (property.isPresent()) {
                properties.put(property.get(), value);
            } else {
                problems.add("environment variable '" + variable + "': does not end with a connection key"
                        + suggestion(variable.substring(PREFIX.length())));
            }
        });
    }

    /** From the {@link EnvConfigSource}s among the sources (Quarkus adds one for the environment and one for .env). */
    static EnvironmentConnections of(Iterable<ConfigSource> sources, Iterator<String> knownNames) {
        List<ConfigSource> env = new ArrayList<>();
        sources.forEach(s -> {
            if (s instanceof EnvConfigSource) {
                env.add(s);
            }
        });
        env.sort(Comparator.comparingInt(ConfigSource::getOrdinal));
        Map<String, String> environment = new TreeMap<>();
        for (ConfigSource source : env) {
            for (String name : source.getPropertyNames()) {
                if (name.startsWith(PREFIX)) {
                    environment.put(name, source.getValue(name));
                }
            }
        }
        return new EnvironmentConnections(environment, knownNames);
    }

    private static Optional<String> propertyName(String rest, Set<String> connections) {
        Optional<String> key = ConnectionKeys.KNOWN.stream()
                .filter(k -> rest.endsWith("_" + env(k)) && rest.length() > env(k).length() + 1)
                .max(Comparator.comparingInt(String::length));
        // A connection known from another source wins, with the longest key that leaves exactly its name.
        Optional<String[]> known = ConnectionKeys.KNOWN.stream()
                .filter(k -> rest.endsWith("_" + env(k)))
                .sorted(Comparator.comparingInt(String::length).reversed())
                .flatMap(k -> connections.stream()
                        .filter(n -> env(n).equals(rest.substring(0, rest.length() - env(k).length() - 1)))
                        .sorted().map(n -> new String[] { n, k }))
                .findFirst();
        if (known.isPresent()) {
            return Optional.of(property(known.get()[0], known.get()[1]));
        }
        return key.map(k -> property(rest.substring(0, rest.length() - env(k).length() - 1).toLowerCase().replace('_', '-'), k));
    }

    private static String property(String connection, String key) {
        return "oauth.connections." + (connection.contains(".") ? "\"" + connection + "\"" : connection) + "." + key;
    }

    /** " (did you mean 'OAUTH_CONNECTIONS_ORDERS_CLIENT_SECRET'?)" for a misspelt key at the end. */
    private static String suggestion(String rest) {
        List<String> words = List.of(rest.split("_"));
        List<String> candidates = new ArrayList<>();
        for (String key : ConnectionKeys.KNOWN) {
            int n = env(key).split("_").length;
            if (words.size() > n) {
                candidates.add(String.join("_", words.subList(0, words.size() - n)) + "_" + env(key));
            }
        }
        return Suggestions.nearest(rest, candidates).map(s -> " (did you mean '" + PREFIX + s + "'?)").orElse("");
    }

    /** The environment variable form of a name: upper case, every other character than a letter or digit as {@code _}. */
    static String env(String name) {
        return name.replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
    }

    /** The variables as connection properties ({@code oauth.connections.orders-api.client-secret}). */
    Map<String, String> properties() {
        return properties;
    }

    /** One line per variable that names no connection key. */
    List<String> problems() {
        return problems;
    }

    /**
     * Whether a property name is SmallRye Config's own reading of one of these variables (such as
     * {@code oauth.connections.orders.api.client.secret}): it is not a key the user wrote, so it is not "unknown".
     */
    boolean isReadingOfVariable(String propertyName) {
        return variables.contains(env(propertyName));
    }

    /** The properties as a config source, with the precedence of environment variables. */
    ConfigSource source() {
        return new ConfigSource() {
            @Override
            public Set<String> getPropertyNames() {
                return properties.keySet();
            }

            @Override
            public String getValue(String propertyName) {
                return properties.get(propertyName);
            }

            @Override
            public String getName() {
                return "OAuthConnectionsEnvironment";
            }

            @Override
            public int getOrdinal() {
                return EnvConfigSource.ORDINAL;
            }
        };
    }
}
