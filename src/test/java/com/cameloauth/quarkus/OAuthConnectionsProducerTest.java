package com.cameloauth.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;

import com.cameloauth.connection.ConnectionConfigurationException;
import com.cameloauth.connection.OAuthConfig;
import com.cameloauth.token.OAuthConnections;

import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.EnvConfigSource;
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

    /** Environment variables as Quarkus's EnvConfigSource sees them (a test cannot set real ones). */
    private final Map<String, String> env = new HashMap<>();

    /**
     * The mapping as Quarkus builds it: unknown keys are not an error to SmallRye Config there, and config source
     * factories registered in META-INF/services are added, as Quarkus does.
     */
    private SmallRyeConfig quarkusLikeConfig(String profile) {
        return new SmallRyeConfigBuilder().withProfile(profile).addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(properties, "application.properties", 250))
                .withSources(new EnvConfigSource(env, EnvConfigSource.ORDINAL))
                .withSources(ServiceLoader.load(ConfigSourceFactory.class).stream().map(ServiceLoader.Provider::get)
                        .toArray(ConfigSourceFactory[]::new))
                .withMapping(OAuthConfig.class).withValidateUnknown(false).build();
    }

    private OAuthConnections start(SmallRyeConfig config) {
        return new OAuthConnectionsProducer().connections(config.getConfigMapping(OAuthConfig.class), config);
    }

    @Test
    void fileStoreFromConfigurationIsOpenedAtStartAndAWrongKeyFailsStartUp(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) {
        java.nio.file.Path file = dir.resolve("tokens.store");
        String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        byte[] other = new byte[32];
        other[0] = 1;
        String wrongKey = java.util.Base64.getEncoder().encodeToString(other);
        properties.put("oauth.store.type", "file");
        properties.put("oauth.store.file.path", file.toString());
        properties.put("oauth.store.encryption-key", key);
        try (OAuthConnections connections = start(quarkusLikeConfig("prod"))) {
            assertTrue(java.nio.file.Files.exists(file), "the encrypted file store was opened at start");
        }

        properties.put("oauth.store.encryption-key", wrongKey);
        RuntimeException e = assertThrows(com.cameloauth.token.store.TokenStoreException.class,
                () -> start(quarkusLikeConfig("prod")));
        assertFalse(e.getMessage().contains(wrongKey) || e.getMessage().contains(key), e.getMessage());
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
                "connection 'orders-api': key 'token-url': missing (set oauth.connections.orders-api.token-url, or issuer to discover it)",
                "connection 'orders-api': key 'tokn-url': unknown key (did you mean 'token-url'?)"), e.problems());
        assertEquals("""
                Invalid OAuth connection configuration (2 problems):
                  - connection 'orders-api': key 'token-url': missing (set oauth.connections.orders-api.token-url, or issuer to discover it)
                  - connection 'orders-api': key 'tokn-url': unknown key (did you mean 'token-url'?)""", e.getMessage().replace(System.lineSeparator(), "\n"));
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
        assertEquals(List.of("connection 'orders-api': key 'scops': unknown key (did you mean 'scopes'?)"), e.problems());
    }

    @Test
    void quotedConnectionNamesWithDotsAreUnderstood() {
        properties.put("oauth.connections.\"partner.api\".policy", "none");
        properties.put("oauth.connections.\"partner.api\".base-url", "https://partner.example.com");
        try (OAuthConnections connections = start(quarkusLikeConfig("prod"))) {
            assertEquals(List.of("orders-api", "partner.api"), List.copyOf(connections.names()));
        }
    }

    @Test
    void secretFromEnvironmentForHyphenatedConnectionReachesIt() {
        properties.remove("oauth.connections.orders-api.client-secret");
        env.put("OAUTH_CONNECTIONS_ORDERS_API_CLIENT_SECRET", "from-env");
        try (OAuthConnections connections = start(quarkusLikeConfig("prod"))) {
            assertEquals(List.of("orders-api"), List.copyOf(connections.names()));
            assertEquals("from-env", connections.definition("orders-api").orElseThrow().oauthClient().orElseThrow()
                    .clientSecret().orElseThrow().reveal());
        }
    }

    @Test
    void connectionDefinedOnlyInTheEnvironmentStarts() {
        env.put("OAUTH_CONNECTIONS_BILLING_API_V2_POLICY", "none");
        env.put("OAUTH_CONNECTIONS_BILLING_API_V2_BASE_URL", "https://billing.example.com");
        env.put("OAUTH_CONNECTIONS_PARTNER_API_POLICY", "none");
        env.put("OAUTH_CONNECTIONS_PARTNER_API_BASE_URL", "https://partner.example.com");
        properties.put("oauth.connections.\"partner.api\".header-name", "X-Partner-Token");
        try (OAuthConnections connections = start(quarkusLikeConfig("prod"))) {
            assertEquals(List.of("billing-api-v2", "orders-api", "partner.api"), List.copyOf(connections.names()));
        }
    }

    @Test
    void unsetVariableBehindAnExpressionIsNamedNotCalledMissing() {
        properties.put("oauth.connections.orders-api.client-secret", "${ORDERS_API_SECRET}");
        ConnectionConfigurationException e = assertThrows(ConnectionConfigurationException.class,
                () -> start(quarkusLikeConfig("prod")));
        assertEquals(List.of("connection 'orders-api': key 'client-secret': variable 'ORDERS_API_SECRET' is not set"
                + " (${ORDERS_API_SECRET})"), e.problems());
        env.put("ORDERS_API_SECRET", "from-env");
        try (OAuthConnections connections = start(quarkusLikeConfig("prod"))) {
            assertEquals("from-env", connections.definition("orders-api").orElseThrow().oauthClient().orElseThrow()
                    .clientSecret().orElseThrow().reveal());
        }
    }

    @Test
    void camelPlaceholderInQuarkusConfigurationIsRefused() {
        properties.put("oauth.connections.orders-api.client-secret", "{{env:ORDERS_API_SECRET}}");
        env.put("ORDERS_API_SECRET", "from-env");
        ConnectionConfigurationException e = assertThrows(ConnectionConfigurationException.class,
                () -> start(quarkusLikeConfig("prod")));
        assertEquals(List.of("connection 'orders-api': key 'client-secret': '{{env:ORDERS_API_SECRET}}' was not resolved:"
                + " {{...}} placeholders work in Camel properties only; here write ${ORDERS_API_SECRET}"), e.problems());
    }
}
