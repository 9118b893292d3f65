package com.cameloauth.quarkus.oidcclient;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.cameloauth.testsupport.keycloak.KeycloakServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A Quarkus OIDC client {@value #OIDC_CLIENT} for Keycloak's {@code orders-service} (client credentials), and a
 * connection {@value #CONNECTION} with policy oidc-client that delegates to it, calling Keycloak's admin API.
 */
public class OidcClientTestProfile implements QuarkusTestProfile {
    static final String OIDC_CLIENT = "kc";
    static final String CONNECTION = "kc-delegated";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.devservices.enabled", "false");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Resource.class));
    }

    /** Starts the JVM's Keycloak (left running for the other tests) and points the OIDC client at it. */
    public static class Resource implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            KeycloakServer keycloak = KeycloakServer.get();
            Map<String, String> config = new LinkedHashMap<>();
            String client = "quarkus.oidc-client." + OIDC_CLIENT + ".";
            config.put(client + "auth-server-url", keycloak.issuer());
            config.put(client + "client-id", KeycloakServer.ORDERS_CLIENT_ID);
            config.put(client + "credentials.secret", KeycloakServer.ORDERS_CLIENT_SECRET);
            config.put(client + "grant.type", "client");
            String connection = "oauth.connections." + CONNECTION + ".";
            config.put(connection + "policy", "oidc-client");
            config.put(connection + "oidc-client-name", OIDC_CLIENT);
            config.put(connection + "base-url", keycloak.adminApiUrl());
            config.put(connection + "allow-insecure", "true");
            return config;
        }

        @Override
        public void stop() {
            // Keycloak is shared by every test of this JVM
        }
    }
}
