package com.cameloauth.exchangeit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.cameloauth.connection.ConnectionDefinitions;
import com.cameloauth.testsupport.keycloak.KeycloakExtension;
import com.cameloauth.testsupport.keycloak.KeycloakServer;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.SubjectTokenExchange;
import com.cameloauth.token.Token;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** Token exchange (RFC 8693, Keycloak's standard token exchange V2) from configuration keys against a real Keycloak. */
@ExtendWith(KeycloakExtension.class)
class TokenExchangeKeycloakIT {
    private final KeycloakServer keycloak;
    private OAuthConnections engine;

    TokenExchangeKeycloakIT(KeycloakServer keycloak) {
        this.keycloak = keycloak;
    }

    @BeforeAll
    static void clients() {
        ExchangeClients.ensure(KeycloakServer.get());
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private Map<String, String> properties(String... partnerKeys) {
        Map<String, String> p = new LinkedHashMap<>();
        put(p, "subject", "policy", "client-credentials", "client-id", ExchangeClients.SUBJECT_ID,
                "client-secret", ExchangeClients.SUBJECT_SECRET);
        put(p, "partner", "policy", "token-exchange", "client-id", ExchangeClients.REQUESTER_ID,
                "client-secret", ExchangeClients.REQUESTER_SECRET, "audience", ExchangeClients.TARGET_ID);
        put(p, "partner", partnerKeys);
        return p;
    }

    private void put(Map<String, String> p, String name, String... keyValues) {
        p.put("oauth.connections." + name + ".base-url", "http://127.0.0.1:1/api");
        p.put("oauth.connections." + name + ".token-url", keycloak.tokenUrl());
        p.put("oauth.connections." + name + ".allow-insecure", "true");
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put("oauth.connections." + name + "." + keyValues[i], keyValues[i + 1]);
        }
    }

    private static JWTClaimsSet claims(Token token) throws Exception {
        return SignedJWT.parse(token.value()).getJWTClaimsSet();
    }

    @Test
    void exchangesTheSubjectConnectionsTokenForOneOfTheRequesterWithTheRequestedAudience() throws Exception {
        engine = OAuthConnections.builder(ConnectionDefinitions.fromProperties(properties("subject-connection", "subject")))
                .build();

        Token exchanged = engine.tokenManager("partner").orElseThrow().currentToken();
        Token subject = engine.tokenManager("subject").orElseThrow().currentToken();

        JWTClaimsSet subjectClaims = claims(subject);
        assertTrue(subjectClaims.getAudience().contains(ExchangeClients.REQUESTER_ID), subjectClaims.toString());
        JWTClaimsSet c = claims(exchanged);
        assertEquals(ExchangeClients.REQUESTER_ID, c.getStringClaim("azp"));
        assertEquals(List.of(ExchangeClients.TARGET_ID), c.getAudience());
        assertEquals(subjectClaims.getSubject(), c.getSubject(), "the exchanged token is for the same subject");
        assertNotEquals(subject.value(), exchanged.value());
    }

    @Test
    void exchangesASubjectTokenFromTheMessageWhenOptedIn() throws Exception {
        engine = OAuthConnections.builder(ConnectionDefinitions.fromProperties(
                properties("subject-token-from-header", "true"))).build();
        String subject = keycloak.clientCredentialsToken(ExchangeClients.SUBJECT_ID, ExchangeClients.SUBJECT_SECRET);
        SubjectTokenExchange perSubject = assertInstanceOf(SubjectTokenExchange.class, engine.authorizer("partner"));

        Token exchanged = perSubject.forSubject(subject).authorize().token();

        JWTClaimsSet c = claims(exchanged);
        assertEquals(ExchangeClients.REQUESTER_ID, c.getStringClaim("azp"));
        assertEquals(List.of(ExchangeClients.TARGET_ID), c.getAudience());
        assertEquals(SignedJWT.parse(subject).getJWTClaimsSet().getSubject(), c.getSubject());
    }
}
