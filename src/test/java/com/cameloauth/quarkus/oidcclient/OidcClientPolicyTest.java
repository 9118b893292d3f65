package com.cameloauth.quarkus.oidcclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import com.cameloauth.connection.ConnectionConfigurationException;
import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.connection.ConnectionDefinitions;
import com.cameloauth.token.ExternalTokens;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.OAuthTokenException;
import com.cameloauth.token.Token;
import com.cameloauth.token.TokenManager;

/** Policy oidc-client without Quarkus: the engine around an {@link ExternalTokens}, and the refusal outside Quarkus. */
class OidcClientPolicyTest {
    private static final Map<String, ConnectionDefinition> DEFINITIONS = ConnectionDefinitions.fromProperties(Map.of(
            "oauth.connections.billing.policy", "oidc-client",
            "oauth.connections.billing.oidc-client-name", "billing",
            "oauth.connections.billing.base-url", "https://billing.example.com/api"));

    @Test
    void tokensComeFromTheProviderAndAreCachedUntilTheirExpiry() {
        List<Optional<String>> asked = new CopyOnWriteArrayList<>();
        ExternalTokens provider = refresh -> {
            asked.add(refresh);
            return new ExternalTokens.Issued("at-" + asked.size(), Optional.of(Instant.now().plusSeconds(300)),
                    Optional.of("rt-" + asked.size()));
        };
        try (OAuthConnections engine = OAuthConnections.builder(DEFINITIONS).externalTokens("billing", provider).build()) {
            assertEquals("Bearer at-1", engine.authorizer("billing").authorize().headerValue());
            assertEquals("Bearer at-1", engine.authorizer("billing").authorize().headerValue());
            TokenManager manager = engine.tokenManager("billing").orElseThrow();
            Token refreshed = manager.refresh();

            assertEquals("at-2", refreshed.value());
            assertEquals(List.of(Optional.empty(), Optional.of("rt-1")), asked, "the refresh token goes back to it");
        }
    }

    @Test
    void aFailingProviderIsReportedWithoutItsMessage() {
        ExternalTokens provider = refresh -> {
            throw new IllegalStateException("server said: secret-xyz is wrong");
        };
        try (OAuthConnections engine = OAuthConnections.builder(DEFINITIONS).externalTokens("billing", provider).build()) {
            OAuthTokenException e = assertThrows(OAuthTokenException.class, () -> engine.authorizer("billing").authorize());
            assertTrue(e.getMessage().contains("connection 'billing'"), e.getMessage());
            assertFalse(e.getMessage().contains("secret-xyz"), e.getMessage());
        }
    }

    @Test
    void outsideQuarkusThePolicyFailsAtStartNamingTheConnection() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OAuthConnections.builder(DEFINITIONS).build());
        assertTrue(e.getMessage().contains("connection 'billing': policy 'oidc-client' works in the Quarkus app only"),
                e.getMessage());
    }

    @Test
    void theClientNameIsRequired() {
        ConnectionConfigurationException e = assertThrows(ConnectionConfigurationException.class,
                () -> ConnectionDefinitions.fromProperties(Map.of("oauth.connections.billing.policy", "oidc-client",
                        "oauth.connections.billing.base-url", "https://billing.example.com/api")));
        assertTrue(e.getMessage().contains("connection 'billing': key 'oidc-client-name': missing"), e.getMessage());
    }
}
