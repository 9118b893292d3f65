package com.cameloauth.connection;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The keys of {@link OAuthConfig.Connection} as written in properties, and the check that every {@code oauth.*}
 * property is one of them. SmallRye Config would stop at the first unknown key with a message of its own; instead a
 * misspelt {@code tokn-url} is reported here, together with every other connection problem, one line each, in plain
 * Camel and in Quarkus alike.
 */
final class ConnectionKeys {
    /** {@code oauth.connections.<name>.<key>}; a name with dots is quoted, as SmallRye Config writes map keys. */
    private static final Pattern CONNECTION_KEY = Pattern.compile("oauth\\.connections\\.(\"[^\"]+\"|[^.\"]+)\\.(.+)");
    static final Set<String> KNOWN = Arrays.stream(OAuthConfig.Connection.class.getMethods())
            .filter(m -> m.getParameterCount() == 0 && !m.isDefault())
            .map(Method::getName).map(ConnectionKeys::kebab)
            .collect(Collectors.collectingAndThen(Collectors.toCollection(TreeSet::new), Collections::unmodifiableSortedSet));

    /** The keys outside connections, such as {@code oauth.store.encryption-key}, derived from {@link OAuthConfig}'s groups. */
    static final Set<String> GLOBAL = Collections.unmodifiableSortedSet(globalKeys(OAuthConfig.class, "oauth."));

    private ConnectionKeys() {
    }

    /** One problem per property under {@code oauth.} that is not a connection key. */
    static List<String> unknown(Iterable<String> propertyNames) {
        return unknown(propertyNames, name -> false);
    }

    /**
     * One problem per property under {@code oauth.} that is not a connection key, with the nearest key as a suggestion;
     * names that {@code ignored} accepts (SmallRye Config's reading of an environment variable) are skipped.
     */
    static List<String> unknown(Iterable<String> propertyNames, Predicate<String> ignored) {
        List<String> problems = new ArrayList<>();
        for (String property : propertyNames) {
            if (!property.startsWith("oauth.") || ignored.test(property)) {
                continue;
            }
            Matcher m = CONNECTION_KEY.matcher(property);
            if (!m.matches() && global(property).isPresent()) {
                continue;
            }
            if (!m.matches()) {
                problems.add("key '" + property + "': unknown (connections are configured as"
                        + " oauth.connections.<name>.<key>; the other keys are " + String.join(", ", GLOBAL) + ")"
                        + Suggestions.didYouMean(property, GLOBAL));
            } else if (!KNOWN.contains(m.group(2))) {
                problems.add("connection '" + m.group(1).replace("\"", "") + "': key '" + m.group(2) + "': unknown key"
                        + Suggestions.didYouMean(m.group(2), KNOWN));
            }
        }
        return problems;
    }

    /**
     * The global key a property name stands for: the key itself, or SmallRye Config's reading of its environment
     * variable ({@code OAUTH_STORE_ENCRYPTION_KEY} appears as {@code oauth.store.encryption.key}).
     */
    static Optional<String> global(String property) {
        String env = EnvironmentConnections.env(property);
        return GLOBAL.stream().filter(k -> k.equals(property) || EnvironmentConnections.env(k).equals(env)).findFirst();
    }

    /** Leaf keys of the groups of a mapping interface, skipping maps (the connections). */
    private static TreeSet<String> globalKeys(Class<?> group, String prefix) {
        TreeSet<String> keys = new TreeSet<>();
        for (Method m : group.getMethods()) {
            if (m.getParameterCount() != 0 || m.isDefault() || m.getReturnType() == Map.class) {
                continue;
            }
            String key = prefix + kebab(m.getName());
            if (m.getReturnType().isInterface() && m.getReturnType() != Optional.class) {
                keys.addAll(globalKeys(m.getReturnType(), key + "."));
            } else {
                keys.add(key);
            }
        }
        return keys;
    }

    /** {@code baseUrl} to {@code base-url}, as SmallRye Config names mapping properties. */
    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}
