package com.cameloauth.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;

/**
 * application.properties.example documents exactly the keys of {@link OAuthConfig}, each with a comment, and the
 * README's tables of connection keys and of the other {@code oauth.*} keys (the store) list exactly the same keys.
 */
class ConfigurationDocsTest {
    private static final Path EXAMPLE = Path.of("application.properties.example");
    /** A property line, active or commented out: {@code oauth.x.y=value} or {@code #oauth.x.y=value}. */
    private static final Pattern PROPERTY = Pattern.compile("^#?\\s*(oauth\\.[^=\\s]+)\\s*=(.*)$");
    private static final Pattern CONNECTION_KEY = Pattern.compile("oauth\\.connections\\.([^.]+)\\.([a-z0-9-]+)");

    /**
     * {@code oauth.connections.*.base-url} and friends, and the keys of the other groups such as
     * {@code oauth.store.file.path}, derived from the mapping's methods.
     */
    private static Set<String> mappedKeys() {
        return keysOf(OAuthConfig.class, "oauth.");
    }

    private static Set<String> keysOf(Class<?> group, String prefix) {
        Set<String> keys = new TreeSet<>();
        for (Method m : group.getMethods()) {
            if (m.getParameterCount() != 0 || m.isDefault()) {
                continue;
            }
            if (m.getReturnType() == Map.class) {
                Class<?> value = (Class<?>) ((ParameterizedType) m.getGenericReturnType()).getActualTypeArguments()[1];
                keys.addAll(keysOf(value, prefix + kebab(m.getName()) + ".*."));
            } else if (m.getReturnType().isInterface() && m.getReturnType() != Optional.class) {
                keys.addAll(keysOf(m.getReturnType(), prefix + kebab(m.getName()) + "."));
            } else {
                keys.add(prefix + kebab(m.getName()));
            }
        }
        return keys;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    private static String generic(String property) {
        Matcher m = CONNECTION_KEY.matcher(property);
        return m.matches() ? "oauth.connections.*." + m.group(2) : property;
    }

    private static List<String> lines() throws IOException {
        return Files.readAllLines(EXAMPLE);
    }

    @Test
    void everyKeyOfTheMappingIsInTheExampleWithAComment() throws IOException {
        List<String> lines = lines();
        Set<String> documented = new TreeSet<>();
        for (int i = 1; i < lines.size(); i++) {
            Matcher m = PROPERTY.matcher(lines.get(i));
            String previous = lines.get(i - 1).trim();
            if (m.matches() && previous.startsWith("#") && previous.length() > 2 && !PROPERTY.matcher(previous).matches()) {
                documented.add(generic(m.group(1)));
            }
        }
        Set<String> missing = new TreeSet<>(mappedKeys());
        missing.removeAll(documented);
        assertEquals(Set.of(), missing, "keys of OAuthConfig without a commented entry in " + EXAMPLE);
    }

    @Test
    void theExampleNamesNoKeyThatDoesNotExist() throws IOException {
        Set<String> named = lines().stream().map(PROPERTY::matcher).filter(Matcher::matches).map(m -> generic(m.group(1)))
                .collect(Collectors.toCollection(TreeSet::new));
        named.removeAll(mappedKeys());
        assertEquals(Set.of(), named, "keys in " + EXAMPLE + " that OAuthConfig does not have");
    }

    @Test
    void theExampleConnectionsAreValidOnceTheirSecretsAreSet() throws IOException {
        Map<String, String> active = new HashMap<>();
        lines().stream().filter(l -> !l.startsWith("#")).map(PROPERTY::matcher).filter(Matcher::matches)
                .forEach(m -> active.put(m.group(1), m.group(2).trim()));
        Map<String, String> secrets = Map.of("ORDERS_CLIENT_SECRET", "s", "OIC_CLIENT_ID", "id", "OIC_CLIENT_SECRET", "s",
                "ERP_PASSWORD", "p", "WEATHER_API_KEY", "k", "NETSUITE_CONSUMER_KEY", "ck", "NETSUITE_CONSUMER_SECRET", "cs",
                "NETSUITE_TOKEN_ID", "ti", "NETSUITE_TOKEN_SECRET", "ts");
        Map<String, ConnectionDefinition> connections = ConnectionDefinitions.load(List.of(
                new PropertiesConfigSource(active, "example", 250), new PropertiesConfigSource(secrets, "secrets", 300)));
        assertEquals(Set.of("orders", "oic", "legacy-erp", "weather", "netsuite"), connections.keySet());
        assertTrue(connections.get("oic").oauthClient().orElseThrow().scopes()
                .contains("https://xxxx.integration.ocp.oraclecloud.com:443urn:opc:resource:consumer::all"));
    }

    @Test
    void theCommentedOutUserActingConnectionsAreValidForTheModel() throws IOException {
        Map<String, String> commented = new HashMap<>();
        lines().stream().filter(l -> l.startsWith("#oauth.connections.calendar.") || l.startsWith("#oauth.connections.reports."))
                .map(PROPERTY::matcher).filter(Matcher::matches).forEach(m -> commented.put(m.group(1), m.group(2).trim()));
        commented.replaceAll((k, v) -> v.equals("${REPORTS_CLIENT_SECRET}") ? "s" : v.equals("${REPORTS_REFRESH_TOKEN}") ? "rt" : v);

        Map<String, ConnectionDefinition> connections = ConnectionDefinitions.settingsFromProperties(commented,
                SecurityPolicyReader.Support.MODEL).connections();

        assertEquals(Policy.AUTHORIZATION_CODE, connections.get("calendar").policy());
        assertEquals(Policy.REFRESH_TOKEN, connections.get("reports").policy());
    }

    @Test
    void theReadmeTableListsExactlyTheKeysOfTheMapping() throws IOException {
        Pattern row = Pattern.compile("^\\| `([a-z0-9.-]+)` \\| .+\\|$");
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## Connection keys"), readme.indexOf("## How tokens are handled"));
        Set<String> inReadme = section.lines().map(row::matcher).filter(Matcher::matches)
                .map(m -> m.group(1).startsWith("oauth.") ? m.group(1) : "oauth.connections.*." + m.group(1))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(mappedKeys(), inReadme, "README.md 'Connection keys' table vs OAuthConfig");
    }
}
