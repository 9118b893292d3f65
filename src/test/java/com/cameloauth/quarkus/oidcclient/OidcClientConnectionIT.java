package com.cameloauth.quarkus.oidcclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

import com.cameloauth.testsupport.keycloak.KeycloakServer;
import com.cameloauth.token.ConnectionState;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.TokenEvent;
import com.nimbusds.jwt.SignedJWT;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/** Policy oidc-client: a call through the connection carries a token that the named Quarkus OIDC client got. */
@QuarkusTest
@TestProfile(OidcClientTestProfile.class)
class OidcClientConnectionIT {

    @Inject
    ProducerTemplate template;

    @Inject
    OAuthConnections connections;

    @Test
    void aCallThroughTheConnectionCarriesTheOidcClientsTokenAndIsCached() throws Exception {
        List<TokenEvent> events = new CopyOnWriteArrayList<>();
        connections.addListener(e -> {
            if (e.connection().equals(OidcClientTestProfile.CONNECTION)) {
                events.add(e);
            }
        });

        for (int i = 0; i < 2; i++) {
            Exchange out = template.send("oauth:" + OidcClientTestProfile.CONNECTION + "/users",
                    e -> e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET"));
            assertNull(out.getException(), () -> String.valueOf(out.getException()));
            assertEquals(200, out.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
            assertTrue(out.getMessage().getBody(String.class).contains("\"alice\""));
        }

        var manager = connections.tokenManager(OidcClientTestProfile.CONNECTION).orElseThrow();
        assertEquals(ConnectionState.ACTIVE, manager.state());
        String azp = SignedJWT.parse(manager.currentToken().value()).getJWTClaimsSet().getStringClaim("azp");
        assertEquals(KeycloakServer.ORDERS_CLIENT_ID, azp, "the token is the OIDC client's");
        // the readiness check may have got the token before the listener was added: at most one request here
        assertTrue(events.stream().filter(e -> e.type() == TokenEvent.Type.ACQUIRED).count() <= 1, events::toString);
        events.forEach(e -> assertEquals("oidc_client", e.grant()));
    }
}
