package com.cameloauth.testsupport.keycloak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The Quarkus test resource configures a working client credentials connection named keycloak. */
@QuarkusTest
@TestProfile(KeycloakTestProfile.class)
class KeycloakTestResourceIT {

    @ConfigProperty(name = "oauth.connections.keycloak.token-url")
    String tokenUrl;
    @ConfigProperty(name = "oauth.connections.keycloak.client-id")
    String clientId;
    @ConfigProperty(name = "oauth.connections.keycloak.client-secret")
    String clientSecret;
    @ConfigProperty(name = "oauth.connections.keycloak.base-url")
    String baseUrl;
    @ConfigProperty(name = "oauth.connections.keycloak.policy")
    String policy;
    @ConfigProperty(name = "keycloak.issuer")
    String issuer;

    @Test
    void configuredConnectionReachesTheAdminApi() throws Exception {
        KeycloakServer keycloak = KeycloakServer.get(); // the same server, whichever class loader started it
        assertEquals(keycloak.tokenUrl(), tokenUrl);
        assertEquals(keycloak.adminApiUrl(), baseUrl);
        assertEquals(keycloak.issuer(), issuer);
        assertEquals("client-credentials", policy);

        HttpClient http = HttpClient.newHttpClient();
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(tokenUrl))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, token.statusCode(), token.body());
        String accessToken = token.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");

        HttpResponse<String> users = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/users"))
                .header("Authorization", "Bearer " + accessToken).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, users.statusCode(), users.body());
    }
}
