package com.cameloauth.exchangeit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.cameloauth.testsupport.keycloak.KeycloakServer;

/**
 * The Keycloak clients the token-exchange tests need, created through the admin REST API (the shared realm file is
 * not touched): a subject client whose tokens name the requester in {@code aud}, and a requester with standard token
 * exchange (V2) on and an audience mapper for the target it asks for.
 */
final class ExchangeClients {
    static final String SUBJECT_ID = "exchange-subject-client";
    static final String SUBJECT_SECRET = "exchange-subject-secret";
    static final String REQUESTER_ID = "exchange-requester-client";
    static final String REQUESTER_SECRET = "exchange-requester-secret";
    static final String TARGET_ID = "exchange-target-client";

    private ExchangeClients() {
    }

    /** Creates the three clients unless they exist (409 from an earlier test in the same Keycloak). */
    static void ensure(KeycloakServer keycloak) {
        create(keycloak, """
                {"clientId":"%s","enabled":true,"publicClient":false,"bearerOnly":false,"serviceAccountsEnabled":false,
                 "standardFlowEnabled":false,"directAccessGrantsEnabled":false}""".formatted(TARGET_ID));
        create(keycloak, """
                {"clientId":"%s","enabled":true,"publicClient":false,"clientAuthenticatorType":"client-secret",
                 "secret":"%s","serviceAccountsEnabled":true,"standardFlowEnabled":false,"directAccessGrantsEnabled":false,
                 "attributes":{"standard.token.exchange.enabled":"true"},
                 "protocolMappers":[%s]}""".formatted(REQUESTER_ID, REQUESTER_SECRET, audienceMapper(TARGET_ID)));
        create(keycloak, """
                {"clientId":"%s","enabled":true,"publicClient":false,"clientAuthenticatorType":"client-secret",
                 "secret":"%s","serviceAccountsEnabled":true,"standardFlowEnabled":false,"directAccessGrantsEnabled":false,
                 "protocolMappers":[%s]}""".formatted(SUBJECT_ID, SUBJECT_SECRET, audienceMapper(REQUESTER_ID)));
    }

    private static String audienceMapper(String audience) {
        return """
                {"name":"audience-%s","protocol":"openid-connect","protocolMapper":"oidc-audience-mapper",
                 "config":{"included.client.audience":"%s","access.token.claim":"true","id.token.claim":"false",
                 "introspection.token.claim":"true"}}""".formatted(audience, audience);
    }

    private static void create(KeycloakServer keycloak, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(keycloak.adminApiUrl() + "/clients"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + keycloak.adminToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201 && response.statusCode() != 409) {
                throw new IllegalStateException("creating a client failed: HTTP " + response.statusCode() + " "
                        + response.body());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
