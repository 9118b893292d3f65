package com.cameloauth.jwtit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import com.cameloauth.testsupport.keycloak.KeycloakServer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Registers this helper's clients in the test realm through Keycloak's admin REST API (the realm JSON is shared):
 * service-account clients that authenticate with "Signed JWT" ({@code client-jwt}) or "Signed JWT with Client
 * Secret" ({@code client-secret-jwt}). Each gets a unique client id, so reruns against the same Keycloak do not clash.
 */
final class JwtKeycloakClients {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final KeycloakServer keycloak;
    private final HttpClient http = HttpClient.newHttpClient();

    JwtKeycloakClients(KeycloakServer keycloak) {
        this.keycloak = keycloak;
    }

    /** A client that authenticates with a JWT signed by the key of {@code jwks} (a public JWK Set), algorithm RS256. */
    String privateKeyJwtClient(String jwks) {
        String clientId = "jwt-private-key-client-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode client = serviceAccountClient(clientId, "client-jwt");
        client.putObject("attributes").put("use.jwks.string", "true").put("jwks.string", jwks)
                .put("use.jwks.url", "false").put("token.endpoint.auth.signing.alg", "RS256");
        create(client);
        return clientId;
    }

    /** A client that authenticates with a JWT MACed with {@code secret} (HS256). */
    String clientSecretJwtClient(String secret) {
        String clientId = "jwt-secret-client-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode client = serviceAccountClient(clientId, "client-secret-jwt");
        client.put("secret", secret);
        client.putObject("attributes").put("token.endpoint.auth.signing.alg", "HS256");
        create(client);
        return clientId;
    }

    private static ObjectNode serviceAccountClient(String clientId, String authenticator) {
        ObjectNode client = JSON.createObjectNode();
        client.put("clientId", clientId).put("enabled", true).put("protocol", "openid-connect")
                .put("publicClient", false).put("serviceAccountsEnabled", true).put("standardFlowEnabled", false)
                .put("directAccessGrantsEnabled", false).put("clientAuthenticatorType", authenticator);
        return client;
    }

    private void create(ObjectNode client) {
        HttpResponse<String> response = send("POST", keycloak.adminApiUrl() + "/clients", client.toString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("creating client " + client.path("clientId").asText() + ": HTTP "
                    + response.statusCode() + " " + response.body());
        }
    }

    private HttpResponse<String> send(String method, String url, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + keycloak.adminToken())
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Claims of an access token (a JWT), unverified: for assertions on what Keycloak issued. */
    static Map<String, Object> claims(String accessToken) {
        try {
            return com.nimbusds.jwt.SignedJWT.parse(accessToken).getJWTClaimsSet().getClaims();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("the access token is not a JWT", e);
        }
    }
}
