package com.cameloauth.jwtit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.cameloauth.component.OAuthConstants;
import com.cameloauth.testsupport.keycloak.KeycloakExtension;
import com.cameloauth.testsupport.keycloak.KeycloakServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.RSAKey;

/**
 * Policy {@code jwt-bearer} (RFC 7523 2.1) against a real Keycloak with its JWT Authorization Grant (feature
 * {@code jwt-authorization-grant}, named in {@link KeycloakServer#FEATURES}): an identity provider of that type trusts
 * the connection's issuer and the public key of a PKCS#12 file the test makes; a confidential client may use the
 * grant with it; a user is linked to it under the assertion's {@code sub}. The README's {@code jwt-bearer} block, run as
 * written through an {@code oauth:} endpoint, gets a token Keycloak issued for that user to that client, and
 * Keycloak's userinfo, called through the connection, answers with that user.
 */
@ExtendWith(KeycloakExtension.class)
class JwtBearerKeycloakIT {
    private static final Path README = Path.of("README.md");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY_PASSWORD = "hr-key-password-it";
    private static final String CLIENT_SECRET = "jwt-bearer-client-secret";

    private final KeycloakServer keycloak;
    private CamelContext camel;

    @TempDir
    Path dir;

    JwtBearerKeycloakIT(KeycloakServer keycloak) {
        this.keycloak = keycloak;
    }

    @AfterEach
    void stopCamel() {
        if (camel != null) {
            camel.stop();
        }
    }

    @Test
    void jwtBearerWhenTheReadmeExampleRunsAgainstKeycloakThenATokenForTheLinkedUserAndUserinfoAnswersWithThem()
            throws Exception {
        JwtBearerKeycloakSetup setup = new JwtBearerKeycloakSetup(keycloak);
        Path p12 = JwtBearerKeycloakSetup.pkcs12(dir.resolve("hr-assertion.p12"), KEY_PASSWORD, "hr");
        PublicKey publicKey = publicKeyIn(p12);
        String kid = new RSAKey.Builder((RSAPublicKey) publicKey).build().computeThumbprint().toString();
        Properties example = readmeBlock("policy=jwt-bearer");
        String subject = example.getProperty("oauth.connections.hr.subject");
        String clientId = "jwt-bearer-client-" + setup.suffix();
        // Keycloak wants a URL as the identity provider's issuer; the example's default (the client id) is not one
        String issuer = "https://hr.example.com/assertions/" + setup.suffix();
        String alias = setup.identityProvider(issuer, publicKey, kid);
        setup.client(clientId, CLIENT_SECRET, alias);
        String username = setup.linkedUser(alias, subject);

        Properties p = new Properties();
        p.putAll(example);
        // the example's ${HR_...} are environment variables, which a test cannot set: the values directly
        p.setProperty("oauth.connections.hr.client-secret", CLIENT_SECRET);
        p.setProperty("oauth.connections.hr.assertion-key-password", KEY_PASSWORD);
        p.setProperty("oauth.connections.hr.assertion-key", p12.toString());
        p.setProperty("oauth.connections.hr.client-id", clientId);
        p.setProperty("oauth.connections.hr.assertion-issuer", issuer);
        p.setProperty("oauth.connections.hr.base-url", keycloak.issuer() + "/protocol/openid-connect");
        p.setProperty("oauth.connections.hr.token-url", keycloak.tokenUrl());
        p.setProperty("oauth.connections.hr.scopes", "openid"); // userinfo needs an OpenID Connect token
        p.setProperty("oauth.connections.hr.allow-insecure", "true"); // Keycloak listens on http://127.0.0.1 only
        camel = new DefaultCamelContext();
        camel.getPropertiesComponent().setInitialProperties(p);
        camel.start();
        ProducerTemplate template = camel.createProducerTemplate();

        String first = accessToken(template, "oauth:hr?operation=token");
        Map<String, Object> claims = JwtKeycloakClients.claims(first);
        assertEquals(username, claims.get("preferred_username"), "Keycloak issued the token for the linked user");
        assertEquals(clientId, claims.get("azp"), "to the client that sent the assertion");
        assertEquals(keycloak.issuer(), claims.get("iss"));

        String userinfo = template.requestBodyAndHeader("oauth:hr/userinfo", null, Exchange.HTTP_METHOD, "GET",
                String.class);
        JsonNode user = JSON.readTree(userinfo);
        assertEquals(username, user.path("preferred_username").asText(), userinfo);
        assertEquals(claims.get("sub"), user.path("sub").asText(), userinfo);

        // Keycloak refuses a replayed jti: a second token means a second, fresh assertion
        accessToken(template, "oauth:hr?operation=refresh");
        String second = accessToken(template, "oauth:hr?operation=token");
        assertNotEquals(first, second);
        assertEquals(username, JwtKeycloakClients.claims(second).get("preferred_username"));
    }

    private static String accessToken(ProducerTemplate template, String uri) {
        Exchange exchange = template.request(uri, e -> { });
        if (exchange.getException() != null) {
            throw new AssertionError(uri + " failed", exchange.getException());
        }
        return exchange.getMessage().getHeader(OAuthConstants.ACCESS_TOKEN, String.class);
    }

    private static PublicKey publicKeyIn(Path p12) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(p12)) {
            ks.load(in, KEY_PASSWORD.toCharArray());
        }
        return ks.getCertificate("hr").getPublicKey();
    }

    /** The properties of the README's ```properties block that contains {@code marker}. */
    private static Properties readmeBlock(String marker) throws Exception {
        Matcher blocks = Pattern.compile("```properties\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(README));
        while (blocks.find()) {
            if (blocks.group(1).contains(marker)) {
                Properties properties = new Properties();
                blocks.group(1).lines().filter(l -> l.contains("=") && !l.startsWith("#")).forEach(l -> properties
                        .setProperty(l.substring(0, l.indexOf('=')).trim(), l.substring(l.indexOf('=') + 1).trim()));
                return properties;
            }
        }
        throw new AssertionError("README.md has no properties block with " + marker);
    }
}
