package com.cameloauth.dpopit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.cameloauth.component.OAuthComponent;
import com.cameloauth.component.OAuthConstants;
import com.cameloauth.testsupport.keycloak.KeycloakExtension;
import com.cameloauth.testsupport.keycloak.KeycloakServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * DPoP against a real Keycloak: a client whose tokens must be DPoP-bound gets a token of type DPoP bound to the
 * connection's key ({@code cnf.jkt}), and Keycloak's userinfo endpoint accepts it with a proof; the same token sent as
 * a Bearer token is refused, which shows the binding.
 */
@ExtendWith(KeycloakExtension.class)
class DpopKeycloakIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeycloakServer keycloak;
    private CamelContext camel;
    private ProducerTemplate template;

    DpopKeycloakIT(KeycloakServer keycloak) {
        this.keycloak = keycloak;
    }

    @BeforeAll
    static void createClient(KeycloakServer keycloak) throws Exception {
        DpopKeycloakClients.createDpopClient(keycloak);
    }

    @BeforeEach
    void startCamel() {
        Properties p = new Properties();
        String prefix = "oauth.connections.kc-dpop.";
        p.setProperty(prefix + "policy", "client-credentials");
        p.setProperty(prefix + "base-url", keycloak.issuer() + "/protocol/openid-connect");
        p.setProperty(prefix + "token-url", keycloak.tokenUrl());
        p.setProperty(prefix + "client-id", DpopKeycloakClients.DPOP_CLIENT_ID);
        p.setProperty(prefix + "client-secret", DpopKeycloakClients.DPOP_CLIENT_SECRET);
        p.setProperty(prefix + "scopes", "openid");
        p.setProperty(prefix + "allow-insecure", "true"); // Keycloak listens on http://127.0.0.1 only
        p.setProperty(prefix + "dpop", "true");
        camel = new DefaultCamelContext();
        camel.getPropertiesComponent().setInitialProperties(p);
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterEach
    void stopCamel() {
        camel.stop();
    }

    @Test
    void aDpopBoundTokenWorksAtUserinfoWithAProofAndNotAsBearer() throws Exception {
        String userinfo = template.requestBodyAndHeader("oauth:kc-dpop/userinfo", null, Exchange.HTTP_METHOD, "GET",
                String.class);
        JsonNode claims = JSON.readTree(userinfo);
        assertEquals("service-account-" + DpopKeycloakClients.DPOP_CLIENT_ID, claims.path("preferred_username").asText(),
                userinfo);

        Exchange tokenExchange = template.request("oauth:kc-dpop?operation=token", e -> { });
        String token = tokenExchange.getMessage().getHeader(OAuthConstants.ACCESS_TOKEN, String.class);
        assertEquals("DPoP " + token, tokenExchange.getMessage().getHeader(OAuthConstants.AUTHORIZATION, String.class));
        JsonNode payload = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        String jkt = ((OAuthComponent) camel.getComponent("oauth")).getConnections().dpop("kc-dpop").orElseThrow()
                .thumbprint();
        assertEquals(jkt, payload.path("cnf").path("jkt").asText(), "bound to the connection's key");

        for (String scheme : new String[] {"Bearer", "DPoP"}) {
            HttpResponse<String> withoutProof = HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(URI.create(keycloak.issuer() + "/protocol/openid-connect/userinfo"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", scheme + " " + token).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, withoutProof.statusCode(), scheme + " without a proof: " + withoutProof.body());
        }
        assertTrue(userinfo.contains("\"sub\""), userinfo);
    }
}
