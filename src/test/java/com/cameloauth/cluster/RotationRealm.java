package com.cameloauth.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.cameloauth.testsupport.keycloak.KeycloakServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A realm of its own for the Redis rotation test, created through Keycloak's admin API: refresh tokens rotate and a
 * reused one is refused ({@code revokeRefreshToken}, {@code refreshTokenMaxReuse=0}), events are recorded. One
 * confidential client with direct grants and one user.
 */
final class RotationRealm {
    static final String REALM = "redis-rotation";
    static final String CLIENT_ID = "redis-rotation-client";
    static final String CLIENT_SECRET = "redis-rotation-secret";
    static final String USERNAME = "redis-rotation-user";
    static final String PASSWORD = "redis-rotation-password";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeycloakServer keycloak;
    private final HttpClient http = HttpClient.newHttpClient();

    RotationRealm(KeycloakServer keycloak) {
        this.keycloak = keycloak;
    }

    /** Creates the realm (replacing one left by an earlier run). */
    void create() {
        send("DELETE", "/admin/realms/" + REALM, null, true);
        send("POST", "/admin/realms", """
                {"realm": "%s", "enabled": true, "revokeRefreshToken": true, "refreshTokenMaxReuse": 0,
                 "accessTokenLifespan": 300, "ssoSessionIdleTimeout": 1800,
                 "eventsEnabled": true, "eventsExpiration": 3600,
                 "enabledEventTypes": ["LOGIN", "LOGIN_ERROR", "REFRESH_TOKEN", "REFRESH_TOKEN_ERROR"],
                 "clients": [{"clientId": "%s", "enabled": true, "publicClient": false, "secret": "%s",
                              "clientAuthenticatorType": "client-secret", "directAccessGrantsEnabled": true,
                              "standardFlowEnabled": false, "serviceAccountsEnabled": false}],
                 "users": [{"username": "%s", "enabled": true, "email": "rotation@example.com", "emailVerified": true,
                            "firstName": "Redis", "lastName": "Rotation",
                            "credentials": [{"type": "password", "value": "%s", "temporary": false}]}]}
                """.formatted(REALM, CLIENT_ID, CLIENT_SECRET, USERNAME, PASSWORD), false);
    }

    void delete() {
        send("DELETE", "/admin/realms/" + REALM, null, true);
    }

    String tokenUrl() {
        return keycloak.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/token";
    }

    String userInfoUrl() {
        return keycloak.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/userinfo";
    }

    /** How many events of {@code type} Keycloak recorded in the realm. */
    int events(String type) {
        try {
            JsonNode events = JSON.readTree(send("GET", "/admin/realms/" + REALM + "/events?type=" + type + "&max=1000",
                    null, false));
            return events.size();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String send(String method, String path, String body, boolean ignoreStatus) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(keycloak.baseUrl() + path))
                .header("Authorization", "Bearer " + keycloak.adminToken())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (!ignoreStatus && response.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
