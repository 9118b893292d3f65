package com.cameloauth.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.cameloauth.connection.ConnectionConfigurationException;
import com.cameloauth.connection.OAuthConfig;
import com.cameloauth.token.OAuthConnections;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** What a user sees when a connection is misconfigured: startup fails with one line per problem. */
class OAuthConnectionsProducerTest {
    private static final String SECRET = "s3cr3t-never-shown";

    private final Map<String, String> properties = new HashMap<>(Map.of(
            "oauth.connections.orders-api.policy", "client-credentials",
            "oauth.connections.orders-api.base-url", "https://orders.example.com/api",
            "oauth.connections.orders-api.token-url", "https://idp.example.com/oauth2/token",
            "oauth.connections.orders-api.client-id", "orders-client",
            "oauth.connections.orders-api.client-secret", SECRET));

    /** The mapping as Quarkus builds it: unknown keys are not an error to SmallRye Config there. */
    private SmallRyeConfig quarkusLikeConfig(String profile) {
        return new SmallRyeConfigBuilder().withProfile(profile)
                .withSources(new PropertiesConfigSource(properties, "application.properties", 250))
                .withMapping(OAuthConfig.class).withValidateUnknown(false).build();
    }

    private OAuthConnections start(SmallRyeConfig config) {
        return new OAuthConnectionsProducer().connections(config.getConfigMapping(OAuthConfig.class), config);
    }

    @Test
    void validConnectionsStart() {
        try (OAuthConnections connections = start(quarkusLikeConfig("prod"))) {
            assertEquals(List.of("orders-api"), List.copyOf(connections.names()));
        }
    }

    @Test
    void misspeltKeyFailsStartupNamingTheConnectionAndTheKey() {
        properties.remove("oauth.connections.orders-api.token-url");
        properties.put("oauth.connections.orders-api.tokn-url", "https://idp.example.com/oauth2/token");
        ConnectionConfigurationException e = assertThrows(ConnectionConfigurationException.class,
                () -> start(quarkusLikeConfig("prod")));
        assertEquals(List.of(
                "connection 'orders-api': key 'token-url': missing (set oauth.connections.orders-api.token-url)",
                "connection 'orders-api': key 'tokn-url': unknown key"), e.problems());
        assertEquals("""
                Invalid OAuth connection configuration (2 problems):
                  - connection 'orders-api': key 'token-url': missing (set oauth.connections.orders-api.token-url)
                  - connection 'orders-api': key 'tokn-url': unknown key""", e.getMessage().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void everyProblemOfEveryConnectionIsReportedAtOnceWithoutSecrets() {
        properties.put("oauth.connections.orders-api.base-url", "http://orders.example.com/api");
        properties.put("oauth.connections.shipping-api.policy", "implicit");
        properties.put("oauth.connections.shipping-api.base-url", "https://shipping.example.com");
        properties.put("oauth.timeout", "5s");
        ConnectionConfigurationException e = assertThrows(ConnectionConfigurationException.class,
                () -> start(quarkusLikeConfig("prod")));
        List<String> expectedStarts = List.of("connection 'orders-api': key 'base-url': ",
                "connection 'shipping-api': key 'policy': ", "key 'oauth.timeout': unknown");
        assertEquals(expectedStarts.size(), e.problems().size(), e.getMessage());
        for (int i = 0; i < expectedStarts.size(); i++) {
            assertTrue(e.problems().get(i).startsWith(expectedStarts.get(i)), e.problems().get(i));
        }
        assertFalse(e.getMessage().contains(SECRET));
    }

    @Test
    void misspeltKeyInAnActiveProfileIsReported() {
        properties.put("%dev,test.oauth.connections.orders-api.scops", "orders:read");
        ConnectionConfigurationException e = assertThrows(ConnectionConfigurationException.class,
                () -> start(quarkusLikeConfig("test")));
        assertEquals(List.of("connection 'orders-api': key 'scops': unknown key"), e.problems());
    }

    @Test
    void quotedConnectionNamesWithDotsAreUnderstood() {
        properties.put("oauth.connections.\"partner.api\".policy", "none");
        properties.put("oauth.connections.\"partner.api\".base-url", "https://partner.example.com");
        try (OAuthConnections connections = start(quarkusLikeConfig("prod"))) {
            assertEquals(List.of("orders-api", "partner.api"), List.copyOf(connections.names()));
        }
    }
}
