package com.cameloauth.token.ops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.cameloauth.testsupport.keycloak.KeycloakServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * This helper's own Keycloak client, made through the admin REST API (the shared realm JSON stays untouched): a
 * confidential client with service accounts and direct access grants, and an audience mapper naming itself, so that
 * Keycloak's introspection answers {@code active:true} for its own tokens.
 */
final class OpsKeycloakClients {
    static final String CLIENT_ID = "ops-revoke-introspect-client";
    static final String CLIENT_SECRET = "ops-revoke-introspect-secret";

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private OpsKeycloakClients() {
    }

    /** Creates the client unless it exists (409). */
    static void ensureClient(KeycloakServer keycloak) throws IOException, InterruptedException {
        String body = "{\"clientId\":\"" + CLIENT_ID + "\",\"enabled\":true,\"publicClient\":false,"
                + "\"clientAuthenticatorType\":\"client-secret\",\"secret\":\"" + CLIENT_SECRET + "\","
                + "\"serviceAccountsEnabled\":true,\"standardFlowEnabled\":false,\"directAccessGrantsEnabled\":true,"
                + "\"protocol\":\"openid-connect\",\"protocolMappers\":[{\"name\":\"audience-self\","
                + "\"protocol\":\"openid-connect\",\"protocolMapper\":\"oidc-audience-mapper\",\"config\":{"
                + "\"included.client.audience\":\"" + CLIENT_ID + "\",\"access.token.claim\":\"true\","
                + "\"id.token.claim\":\"false\",\"introspection.token.claim\":\"true\"}}]}";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(keycloak.adminApiUrl() + "/clients"))
                .header("Authorization", "Bearer " + keycloak.adminToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201 && r.statusCode() != 409) {
            throw new IllegalStateException("creating client " + CLIENT_ID + ": HTTP " + r.statusCode() + " " + r.body());
        }
    }

    /** Keycloak's own introspection answer for a token, asked directly (not through the engine). */
    static boolean active(KeycloakServer keycloak, String token) throws IOException, InterruptedException {
        String auth = Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(keycloak.introspectionUrl()))
                .header("Authorization", "Basic " + auth)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + java.net.URLEncoder.encode(token,
                        StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("introspection: HTTP " + r.statusCode());
        }
        JsonNode json = JSON.readTree(r.body());
        return json.path("active").asBoolean(false);
    }
}
