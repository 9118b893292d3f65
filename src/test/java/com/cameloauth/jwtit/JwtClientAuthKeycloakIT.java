package com.cameloauth.jwtit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.cameloauth.connection.ConnectionDefinitions;
import com.cameloauth.testsupport.keycloak.KeycloakExtension;
import com.cameloauth.testsupport.keycloak.KeycloakServer;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.Token;
import com.cameloauth.token.TokenManager;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

import io.smallrye.config.PropertiesConfigSource;

/**
 * {@code client_secret_jwt} and {@code private_key_jwt} against a real Keycloak: clients registered with "Signed JWT"
 * and "Signed JWT with Client Secret" get tokens through client-credentials connections. Keycloak verifies each
 * assertion (signature, aud, exp) and refuses a jti it has seen: two tokens in a row prove a fresh assertion each time.
 * The private_key_jwt connection is the README's example block, run as written.
 */
@ExtendWith(KeycloakExtension.class)
class JwtClientAuthKeycloakIT {
    private static final Path README = Path.of("README.md");

    private final KeycloakServer keycloak;
    private final JwtKeycloakClients clients;
    private OAuthConnections engine;

    @TempDir
    Path dir;

    JwtClientAuthKeycloakIT(KeycloakServer keycloak) {
        this.keycloak = keycloak;
        this.clients = new JwtKeycloakClients(keycloak);
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void privateKeyJwtWhenTheReadmeExampleRunsAgainstKeycloakThenTokensForThatClient() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("RSA").genKeyPair();
        RSAKey publicJwk = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.RS256).keyIDFromThumbprint().build();
        String clientId = clients.privateKeyJwtClient(new JWKSet(publicJwk).toString());
        Path pem = Files.writeString(dir.resolve("partner-key.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        Map<String, String> example = readmeBlock("client-auth=private_key_jwt");
        Map<String, String> here = Map.of("PARTNER_KEY_FILE", pem.toString(),
                "oauth.connections.partner.token-url", keycloak.tokenUrl(),
                "oauth.connections.partner.client-id", clientId,
                "oauth.connections.partner.allow-insecure", "true");

        TokenManager partner = start("partner", List.of(new PropertiesConfigSource(example, "README", 250),
                new PropertiesConfigSource(here, "test", 300)));

        assertTwoFreshTokensOf(partner, clientId);
    }

    @Test
    void clientSecretJwtWhenRegisteredAtKeycloakThenTokensForThatClient() {
        String secret = "jwt-secret-client-secret-of-48-bytes-for-hs256-ok";
        String clientId = clients.clientSecretJwtClient(secret);
        Map<String, String> properties = new HashMap<>();
        properties.put("oauth.connections.signed.policy", "client-credentials");
        properties.put("oauth.connections.signed.base-url", keycloak.baseUrl());
        properties.put("oauth.connections.signed.token-url", keycloak.tokenUrl());
        properties.put("oauth.connections.signed.client-id", clientId);
        properties.put("oauth.connections.signed.client-secret", secret);
        properties.put("oauth.connections.signed.client-auth", "client_secret_jwt");
        properties.put("oauth.connections.signed.allow-insecure", "true");

        TokenManager signed = start("signed", List.of(new PropertiesConfigSource(properties, "test", 250)));

        assertTwoFreshTokensOf(signed, clientId);
    }

    private TokenManager start(String name, List<ConfigSource> sources) {
        engine = OAuthConnections.builder(ConnectionDefinitions.load(sources)).build();
        return engine.tokenManager(name).orElseThrow();
    }

    /** Keycloak refuses a replayed jti ("Token reuse detected"): a second token means a second, fresh assertion. */
    private static void assertTwoFreshTokensOf(TokenManager manager, String clientId) {
        Token first = manager.currentToken();
        Token second = manager.refresh();

        assertNotEquals(first.value(), second.value());
        for (Token token : List.of(first, second)) {
            Map<String, Object> claims = JwtKeycloakClients.claims(token.value());
            assertEquals(clientId, claims.get("azp"), "Keycloak issued the token to the JWT-authenticated client");
        }
    }

    /** The properties of the README's ```properties block that contains {@code marker}. */
    private static Map<String, String> readmeBlock(String marker) throws IOException {
        Matcher blocks = Pattern.compile("```properties\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(README));
        while (blocks.find()) {
            if (blocks.group(1).contains(marker)) {
                Map<String, String> properties = new HashMap<>();
                blocks.group(1).lines().filter(l -> l.contains("=") && !l.startsWith("#")).forEach(l -> properties.put(
                        l.substring(0, l.indexOf('=')).trim(), l.substring(l.indexOf('=') + 1).trim()));
                assertTrue(properties.containsKey("oauth.connections.partner.client-assertion-key"));
                return properties;
            }
        }
        throw new AssertionError("README.md has no properties block with " + marker);
    }
}
