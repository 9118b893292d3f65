package com.cameloauth.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.cameloauth.component.OAuthConstants;
import com.cameloauth.connection.ConnectionDefinitions;
import com.cameloauth.connection.OAuthSettings;
import com.cameloauth.testsupport.redis.RedisServer;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.TokenEvent;
import com.cameloauth.token.TokenManager;

import io.smallrye.config.PropertiesConfigSource;

/**
 * {@code oauth.store.type=redis} from plain properties: in plain Camel (OAuthComponent over Camel's properties) and in
 * the engine; an ACL user with its password in its own key; a refused password never shown; a garbage entry in Redis
 * ignored, reported and replaced.
 */
class RedisStoreConfigurationTest {
    private static final String PASSWORD = "Redis-Acl-pw-4d1f";

    private RedisServer redis;
    private CountingTokenServer server;
    private CamelContext camel;

    @BeforeEach
    void start() {
        redis = RedisServer.start("--user", "app", "on", ">" + PASSWORD, "~camel-oauth:*", "+@all");
        server = CountingTokenServer.start(300);
    }

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        server.close();
        redis.close();
    }

    private Map<String, String> properties(String password) {
        Map<String, String> p = new HashMap<>(Map.of("oauth.connections.api.policy", "client-credentials",
                "oauth.connections.api.base-url", "http://127.0.0.1:9/api",
                "oauth.connections.api.token-url", server.tokenUrl(),
                "oauth.connections.api.client-id", "wiring-client",
                "oauth.connections.api.client-secret", "wiring-secret",
                "oauth.connections.api.allow-insecure", "true"));
        p.putAll(Map.of("oauth.store.type", "redis",
                "oauth.store.redis.url", redis.url(),
                "oauth.store.redis.username", "app",
                "oauth.store.redis.password", password,
                "oauth.store.encryption-key", ClusterKeys.KEY));
        return p;
    }

    private CamelContext camel(String password) {
        Properties p = new Properties();
        p.putAll(properties(password));
        CamelContext c = new DefaultCamelContext();
        c.getPropertiesComponent().setInitialProperties(p);
        return c;
    }

    @Test
    void plainCamelWithTheRedisStoreThenTokensAreSharedThroughRedis() {
        camel = camel(PASSWORD);
        camel.start();

        Exchange out = camel.createProducerTemplate().request("oauth:api?operation=token", e -> { });

        assertEquals("at-1", out.getMessage().getHeader(OAuthConstants.ACCESS_TOKEN));
        assertEquals(1, redis.cli("--user", "app", "--pass", PASSWORD, "--no-auth-warning", "KEYS",
                "camel-oauth:{api@*}:token").lines().count(), "the token set is in Redis, under the documented key");
        String stored = redis.cli("--user", "app", "--pass", PASSWORD, "--no-auth-warning", "HGET",
                redis.cli("--user", "app", "--pass", PASSWORD, "--no-auth-warning", "KEYS", "camel-oauth:{api@*}:token")
                        .strip(), "c");
        assertFalse(stored.contains("at-1"), "sealed, not in clear");

        // a second engine on the same Redis adopts the token: no second request
        try (OAuthConnections other = engine(PASSWORD)) {
            assertEquals("at-1", other.tokenManager("api").orElseThrow().currentToken().value());
        }
        assertEquals(1, server.requests());
    }

    @Test
    void wrongRedisPasswordThenStartFailsWithoutShowingIt() {
        camel = camel("wrong-" + PASSWORD);

        Exception e = assertThrows(Exception.class, () -> {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:token").to("oauth:api?operation=token");
                }
            });
            camel.start();
        });

        String chain = chain(e);
        assertTrue(chain.contains("refused access (WRONGPASS)"), chain);
        assertFalse(chain.contains(PASSWORD), chain);
        camel = null;
    }

    @Test
    void garbageEntryInRedisThenIgnoredReportedAndReplaced() {
        List<TokenEvent> events = new ArrayList<>();
        try (OAuthConnections first = engine(PASSWORD)) {
            first.tokenManager("api").orElseThrow().currentToken();
        }
        String key = redis.cli("--user", "app", "--pass", PASSWORD, "--no-auth-warning", "KEYS",
                "camel-oauth:{api@*}:token").strip();
        redis.cli("--user", "app", "--pass", PASSWORD, "--no-auth-warning", "HSET", key, "c", "garbage");

        try (OAuthConnections second = engine(PASSWORD)) {
            second.addListener(events::add);
            TokenManager manager = second.tokenManager("api").orElseThrow();

            assertEquals("at-2", manager.currentToken().value(), "a new token, nothing read from the garbage");
        }
        assertTrue(events.stream().anyMatch(e -> e.type() == TokenEvent.Type.STORE_ENTRY_REJECTED), events::toString);
        try (OAuthConnections third = engine(PASSWORD)) {
            assertEquals("at-2", third.tokenManager("api").orElseThrow().currentToken().value(),
                    "the garbage was replaced by the new token set, which a third engine adopts");
        }
        assertEquals(2, server.requests());
    }

    private OAuthConnections engine(String password) {
        OAuthSettings settings = ConnectionDefinitions.loadSettings(List.of(new PropertiesConfigSource(
                properties(password), "test", 250)));
        return OAuthConnections.builder(settings.connections()).store(settings.store()).build();
    }

    private static String chain(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(t).append('\n');
        }
        return b.toString();
    }
}
