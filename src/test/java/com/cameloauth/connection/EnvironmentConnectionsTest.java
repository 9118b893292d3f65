package com.cameloauth.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;

/**
 * Environment variables ({@code OAUTH_CONNECTIONS_<NAME>_<KEY>}) reach the right connection in plain Camel, also when the
 * connection name has a hyphen, a dot or digits and the key is set nowhere else: how Kubernetes users pass secrets.
 */
class EnvironmentConnectionsTest {
    private static final String SECRET = "env-s3cr3t-never-shown";

    private final Map<String, String> properties = new HashMap<>();
    private final Map<String, String> env = new HashMap<>();

    private Map<String, ConnectionDefinition> load() {
        return ConnectionDefinitions.load(List.of(new PropertiesConfigSource(properties, "application.properties", 250)), env);
    }

    /** A client-credentials connection in the properties file, without its secret. */
    private void inFile(String name) {
        String prefix = "oauth.connections." + name + ".";
        properties.put(prefix + "policy", "client-credentials");
        properties.put(prefix + "base-url", "https://api.example.com");
        properties.put(prefix + "token-url", "https://idp.example.com/token");
        properties.put(prefix + "client-id", "client");
    }

    /** The same connection only in the environment. */
    private void inEnvironment(String envName) {
        String prefix = "OAUTH_CONNECTIONS_" + envName + "_";
        env.put(prefix + "POLICY", "client-credentials");
        env.put(prefix + "BASE_URL", "https://api.example.com");
        env.put(prefix + "TOKEN_URL", "https://idp.example.com/token");
        env.put(prefix + "CLIENT_ID", "client");
        env.put(prefix + "CLIENT_SECRET", SECRET);
    }

    private static String secretOf(Map<String, ConnectionDefinition> all, String name) {
        return all.get(name).oauthClient().orElseThrow().clientSecret().orElseThrow().reveal();
    }

    @Test
    void secretInEnvironmentForHyphenatedNameInFileThenThatConnectionGetsIt() {
        inFile("orders-api");
        env.put("OAUTH_CONNECTIONS_ORDERS_API_CLIENT_SECRET", SECRET);

        Map<String, ConnectionDefinition> all = load();

        assertEquals(Set.of("orders-api"), all.keySet());
        assertEquals(SECRET, secretOf(all, "orders-api"));
    }

    @Test
    void secretInEnvironmentForQuotedDottedNameInFileThenThatConnectionGetsIt() {
        inFile("\"partner.api\"");
        env.put("OAUTH_CONNECTIONS_PARTNER_API_CLIENT_SECRET", SECRET);

        Map<String, ConnectionDefinition> all = load();

        assertEquals(Set.of("partner.api"), all.keySet());
        assertEquals(SECRET, secretOf(all, "partner.api"));
    }

    @Test
    void connectionOnlyInEnvironmentThenNameIsLowercaseWithHyphens() {
        inEnvironment("ORDERS_API");
        inEnvironment("ORDERS_V2");
        inEnvironment("API2");
        inEnvironment("BILLING");

        Map<String, ConnectionDefinition> all = load();

        assertEquals(Set.of("orders-api", "orders-v2", "api2", "billing"), all.keySet());
        assertEquals(SECRET, secretOf(all, "orders-v2"));
        assertEquals("https://idp.example.com/token", all.get("orders-api").oauthClient().orElseThrow().tokenUrl().toString());
    }

    @Test
    void smallRyeQuotedFormThenDottedNameOnlyInEnvironment() {
        // SmallRye Config's own spelling of oauth.connections."partner.api".*: a double underscore for each quote.
        env.put("OAUTH_CONNECTIONS__PARTNER_API__POLICY", "none");
        env.put("OAUTH_CONNECTIONS__PARTNER_API__BASE_URL", "https://partner.example.com");

        assertEquals(Set.of("partner.api"), load().keySet());
    }

    @Test
    void keyWithHyphensOfHyphenatedNameThenLongestKeyIsMatched() {
        inFile("weather-api");
        properties.put("oauth.connections.weather-api.policy", "api-key");
        env.put("OAUTH_CONNECTIONS_WEATHER_API_API_KEY", SECRET);
        env.put("OAUTH_CONNECTIONS_WEATHER_API_API_KEY_HEADER", "X-Weather-Key");

        ConnectionDefinition d = load().get("weather-api");

        ConnectionDefinition.ApiKeyCredentials key = (ConnectionDefinition.ApiKeyCredentials) d.credentials().orElseThrow();
        assertEquals("X-Weather-Key", key.headerName());
        assertEquals(SECRET, key.apiKey().reveal());
    }

    @Test
    void environmentOverridesTheFile() {
        inFile("orders-api");
        properties.put("oauth.connections.orders-api.client-secret", "from-file");
        env.put("OAUTH_CONNECTIONS_ORDERS_API_CLIENT_SECRET", SECRET);

        assertEquals(SECRET, secretOf(load(), "orders-api"));
    }

    @Test
    void environmentVariableWithoutAKnownKeyThenOneLineWithSuggestion() {
        inFile("orders-api");
        properties.put("oauth.connections.orders-api.client-secret", "s");
        env.put("OAUTH_CONNECTIONS_ORDERS_API_CLIENT_SECRTE", SECRET);

        ConnectionConfigurationException e = assertThrows(ConnectionConfigurationException.class, this::load);

        assertEquals(List.of("environment variable 'OAUTH_CONNECTIONS_ORDERS_API_CLIENT_SECRTE': does not end with a"
                + " connection key (did you mean 'OAUTH_CONNECTIONS_ORDERS_API_CLIENT_SECRET'?)"), e.problems());
        assertFalse(e.getMessage().contains(SECRET));
    }
}
