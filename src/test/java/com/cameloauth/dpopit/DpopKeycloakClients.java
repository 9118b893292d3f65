package com.cameloauth.dpopit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.cameloauth.testsupport.keycloak.KeycloakServer;

/** Creates this helper's Keycloak clients through the admin REST API (the realm JSON is shared: not edited). */
final class DpopKeycloakClients {
    static final String DPOP_CLIENT_ID = "tls-dpop-client";
    static final String DPOP_CLIENT_SECRET = "tls-dpop-client-secret";

    private DpopKeycloakClients() {
    }

    /**
     * A confidential client with a service account whose access tokens must be DPoP-bound (client attribute
     * {@code dpop.bound.access.tokens}); a 409 (it exists from an earlier test class of the same run) is fine.
     */
    static void createDpopClient(KeycloakServer keycloak) throws Exception {
        String json = "{\"clientId\":\"" + DPOP_CLIENT_ID + "\",\"secret\":\"" + DPOP_CLIENT_SECRET + "\","
                + "\"enabled\":true,\"publicClient\":false,\"serviceAccountsEnabled\":true,"
                + "\"standardFlowEnabled\":false,\"directAccessGrantsEnabled\":false,"
                + "\"clientAuthenticatorType\":\"client-secret\","
                + "\"attributes\":{\"dpop.bound.access.tokens\":\"true\"}}";
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(URI.create(keycloak.adminApiUrl() + "/clients"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + keycloak.adminToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201 && response.statusCode() != 409) {
            throw new IllegalStateException("creating client " + DPOP_CLIENT_ID + ": HTTP " + response.statusCode()
                    + " " + response.body());
        }
    }
}
