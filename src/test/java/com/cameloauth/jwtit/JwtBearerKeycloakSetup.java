package com.cameloauth.jwtit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.UUID;

import com.cameloauth.testsupport.keycloak.KeycloakServer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What Keycloak's JWT Authorization Grant (feature {@code jwt-authorization-grant}, see
 * {@link KeycloakServer#FEATURES}) needs before it accepts an RFC 7523 2.1 assertion, made through the admin REST API
 * (the realm JSON is shared): an identity provider of type {@code jwt-authorization-grant} that trusts one issuer and
 * one public key, a confidential client allowed to use the grant with that provider, and a user linked to the provider
 * under the assertion's {@code sub}. Names carry a random suffix so reruns against the same Keycloak do not clash.
 */
final class JwtBearerKeycloakSetup {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final KeycloakServer keycloak;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);

    JwtBearerKeycloakSetup(KeycloakServer keycloak) {
        this.keycloak = keycloak;
    }

    String suffix() {
        return suffix;
    }

    /**
     * An identity provider trusting assertions whose {@code iss} is {@code issuer}, signed by {@code key} (sent with
     * {@code kid}); returns its alias.
     */
    String identityProvider(String issuer, PublicKey key, String kid) {
        String alias = "bearer-idp-" + suffix;
        ObjectNode idp = JSON.createObjectNode();
        idp.put("alias", alias).put("providerId", "jwt-authorization-grant").put("enabled", true);
        idp.putObject("config").put("issuer", issuer).put("jwtAuthorizationGrantEnabled", "true")
                .put("useJwksUrl", "false")
                .put("publicKeySignatureVerifier", java.util.Base64.getEncoder().encodeToString(key.getEncoded()))
                .put("publicKeySignatureVerifierKeyId", kid);
        created(send("POST", "/identity-provider/instances", idp), "identity provider " + alias);
        return alias;
    }

    /** A confidential client (secret) allowed to use the JWT Authorization Grant with {@code alias}. */
    void client(String clientId, String secret, String alias) {
        ObjectNode client = JSON.createObjectNode();
        client.put("clientId", clientId).put("enabled", true).put("protocol", "openid-connect")
                .put("publicClient", false).put("secret", secret).put("clientAuthenticatorType", "client-secret")
                .put("serviceAccountsEnabled", false).put("standardFlowEnabled", false)
                .put("directAccessGrantsEnabled", false);
        client.putObject("attributes").put("oauth2.jwt.authorization.grant.enabled", "true")
                .put("oauth2.jwt.authorization.grant.idp", alias);
        created(send("POST", "/clients", client), "client " + clientId);
    }

    /** A user linked to the identity provider {@code alias} as {@code subject}; returns the username. */
    String linkedUser(String alias, String subject) {
        String username = "bearer-user-" + suffix;
        ObjectNode user = JSON.createObjectNode();
        user.put("username", username).put("enabled", true).put("email", username + "@example.com")
                .put("emailVerified", true).put("firstName", "Bearer").put("lastName", "User");
        HttpResponse<String> response = send("POST", "/users", user);
        created(response, "user " + username);
        String location = response.headers().firstValue("Location").orElseThrow();
        String id = location.substring(location.lastIndexOf('/') + 1);
        ObjectNode link = JSON.createObjectNode();
        link.put("identityProvider", alias).put("userId", subject).put("userName", subject);
        HttpResponse<String> linked = send("POST", "/users/" + id + "/federated-identity/" + alias, link);
        if (linked.statusCode() / 100 != 2) {
            throw new IllegalStateException("linking " + username + " to " + alias + ": HTTP " + linked.statusCode()
                    + " " + linked.body());
        }
        return username;
    }

    /** A PKCS#12 file with one RSA key entry, made by keytool (a key entry needs a certificate). */
    static Path pkcs12(Path file, String password, String alias) {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        try {
            Process p = new ProcessBuilder(keytool, "-genkeypair", "-keyalg", "RSA", "-keysize", "2048", "-alias",
                    alias, "-dname", "CN=" + alias, "-validity", "2", "-storetype", "PKCS12", "-keystore",
                    file.toString(), "-storepass", password, "-keypass", password).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return file;
    }

    private static void created(HttpResponse<String> response, String what) {
        if (response.statusCode() != 201) {
            throw new IllegalStateException("creating " + what + ": HTTP " + response.statusCode() + " "
                    + response.body());
        }
    }

    private HttpResponse<String> send(String method, String path, ObjectNode body) {
        String url = keycloak.adminApiUrl() + path;
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + keycloak.adminToken())
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.toString()))
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
}
