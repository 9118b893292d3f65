package com.cameloauth.testsupport.keycloak;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Quarkus test resource: starts the JVM's {@link KeycloakServer} and configures a client credentials connection
 * named {@value #CONNECTION} for {@code orders-service}, whose base URL is the realm's admin API
 * ({@code GET users} answers 200 with its token). Use it through {@link KeycloakTestProfile} or
 * {@code @WithTestResource(KeycloakTestResource.class)}.
 *
 * <p>{@link #stop()} leaves Keycloak running: it serves every test of the JVM and stops with it.
 */
public class KeycloakTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String CONNECTION = "keycloak";
    public static final String PREFIX = "oauth.connections." + CONNECTION + ".";

    @Override
    public Map<String, String> start() {
        KeycloakServer keycloak = KeycloakServer.get();
        Map<String, String> config = new LinkedHashMap<>();
        config.put(PREFIX + "policy", "client-credentials");
        config.put(PREFIX + "token-url", keycloak.tokenUrl());
        config.put(PREFIX + "client-id", KeycloakServer.ORDERS_CLIENT_ID);
        config.put(PREFIX + "client-secret", KeycloakServer.ORDERS_CLIENT_SECRET);
        config.put(PREFIX + "base-url", keycloak.adminApiUrl());
        config.put(PREFIX + "allow-insecure", "true");
        // for tests that build other connections; not under oauth.connections.* so no connection is defined by them
        config.put("keycloak.url", keycloak.baseUrl());
        config.put("keycloak.realm", keycloak.realm());
        config.put("keycloak.issuer", keycloak.issuer());
        config.put("keycloak.token-url", keycloak.tokenUrl());
        config.put("keycloak.admin-api-url", keycloak.adminApiUrl());
        return config;
    }

    @Override
    public void stop() {
        // Keycloak is shared by every test of this JVM; its shutdown hook stops it.
    }
}
