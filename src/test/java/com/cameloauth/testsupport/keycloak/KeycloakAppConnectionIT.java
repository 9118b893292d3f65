package com.cameloauth.testsupport.keycloak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

import com.cameloauth.token.ConnectionState;
import com.cameloauth.token.OAuthConnections;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The Quarkus app with the connection that {@link KeycloakTestResource} configures: an {@code oauth:} call through the
 * app's own component gets a client-credentials token from Keycloak and Keycloak's admin API answers it.
 */
@QuarkusTest
@TestProfile(KeycloakTestProfile.class)
class KeycloakAppConnectionIT {

    @Inject
    ProducerTemplate template;

    @Inject
    OAuthConnections connections;

    @Test
    void appConnectionCallsKeycloaksAdminApiWithATokenFromKeycloak() {
        Exchange out = template.send("oauth:" + KeycloakTestResource.CONNECTION + "/users",
                e -> e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET"));

        assertNull(out.getException(), () -> String.valueOf(out.getException()));
        assertEquals(200, out.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
        String users = out.getMessage().getBody(String.class);
        assertTrue(users.contains("\"alice\""), users);
        assertEquals(ConnectionState.ACTIVE,
                connections.tokenManager(KeycloakTestResource.CONNECTION).orElseThrow().state());
    }
}
