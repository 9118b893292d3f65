package com.cameloauth.noleak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import com.cameloauth.testsupport.keycloak.KeycloakServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts Keycloak (shared by the JVM), creates the client {@value #CLIENT_ID} with a random secret through the admin
 * API, starts a {@link RecordingGateway} in front of Keycloak's token endpoint, and configures five connections whose
 * token requests all pass the gateway:
 * <ul>
 * <li>{@code noleak-basic}: client credentials, {@code client_secret_basic}, calls Keycloak's own admin API;</li>
 * <li>{@code noleak-post}: client credentials, {@code client_secret_post}, calls the gateway's stub API;</li>
 * <li>{@code noleak-replay}: like noleak-post with basic; the stub answers its first call 401, so it replays;</li>
 * <li>{@code noleak-password}: the password grant for alice: Keycloak also issues refresh tokens;</li>
 * <li>{@code noleak-wrong}: a wrong (random) secret for orders-service: Keycloak answers 401;</li>
 * <li>{@code noleak-consent}: authorization-code for alice, who gives consent at Keycloak's login page in Chromium; the
 * code and its PKCE verifier are redeemed through the gateway, the callback is the app's own on the test port.</li>
 * </ul>
 */
public class NoLeakTestResource implements QuarkusTestResourceLifecycleManager {
    static final String CLIENT_ID = "observe-noleak";
    static final String PREFIX = "oauth.connections.";

    private RecordingGateway gateway;

    @Override
    public Map<String, String> start() {
        KeycloakServer keycloak = KeycloakServer.get();
        SecureRandom random = new SecureRandom();
        String secret = "noleak-" + randomHex(random);
        String wrongSecret = "wrong-" + randomHex(random);
        int port = freePort();
        String redirectUri = "http://127.0.0.1:" + port + "/oauth/callback";
        createClient(keycloak, secret, redirectUri);
        try {
            gateway = new RecordingGateway(keycloak.tokenUrl());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String token = gateway.url() + "/token";
        String api = gateway.url() + "/api";
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.http.test-port", String.valueOf(port));
        // the demo routes would add their own tokens to the logs: fine, but not what this test is about
        config.put("samples.enabled", "false");
        connection(config, "noleak-basic", "client-credentials", token, keycloak.adminApiUrl(),
                KeycloakServer.ORDERS_CLIENT_ID, KeycloakServer.ORDERS_CLIENT_SECRET, "client_secret_basic");
        connection(config, "noleak-post", "client-credentials", token, api, CLIENT_ID, secret, "client_secret_post");
        connection(config, "noleak-replay", "client-credentials", token, api, CLIENT_ID, secret, "client_secret_basic");
        connection(config, "noleak-password", "password", token, api, CLIENT_ID, secret, "client_secret_basic");
        config.put(PREFIX + "noleak-password.username", KeycloakServer.USER_USERNAME);
        config.put(PREFIX + "noleak-password.password", KeycloakServer.USER_PASSWORD);
        connection(config, "noleak-wrong", "client-credentials", token, api, KeycloakServer.ORDERS_CLIENT_ID, wrongSecret,
                "client_secret_basic");
        config.put(PREFIX + "noleak-wrong.max-attempts", "1");
        connection(config, "noleak-consent", "authorization-code", token, api, CLIENT_ID, secret, "client_secret_basic");
        config.put(PREFIX + "noleak-consent.authorization-url", keycloak.authorizationUrl());
        config.put(PREFIX + "noleak-consent.revocation-url", keycloak.revocationUrl());
        config.put(PREFIX + "noleak-consent.issuer", keycloak.issuer());
        config.put(PREFIX + "noleak-consent.redirect-uri", redirectUri);
        config.put(PREFIX + "noleak-consent.scopes", "openid");
        // for the test: where to read what the gateway saw, and the secrets it configured
        config.put("noleak.gateway-url", gateway.url());
        config.put("noleak.secrets", secret + "," + wrongSecret);
        return config;
    }

    private static void connection(Map<String, String> config, String name, String policy, String tokenUrl, String baseUrl,
            String clientId, String secret, String clientAuth) {
        String p = PREFIX + name + ".";
        config.put(p + "policy", policy);
        config.put(p + "token-url", tokenUrl);
        config.put(p + "base-url", baseUrl);
        config.put(p + "client-id", clientId);
        config.put(p + "client-secret", secret);
        config.put(p + "client-auth", clientAuth);
        config.put(p + "allow-insecure", "true");
    }

    /** The client, or its secret reset when an earlier test class of this JVM created it. */
    private static void createClient(KeycloakServer keycloak, String secret, String redirectUri) {
        String json = "{\"clientId\":\"" + CLIENT_ID + "\",\"enabled\":true,\"publicClient\":false,"
                + "\"clientAuthenticatorType\":\"client-secret\",\"secret\":\"" + secret + "\","
                + "\"serviceAccountsEnabled\":true,\"directAccessGrantsEnabled\":true,\"standardFlowEnabled\":true,"
                + "\"redirectUris\":[\"" + redirectUri + "\"]}";
        HttpResponse<String> created = send(keycloak, "POST", keycloak.adminApiUrl() + "/clients", json);
        if (created.statusCode() == 409) {
            String id = keycloak.clientUuid(CLIENT_ID);
            created = send(keycloak, "PUT", keycloak.adminApiUrl() + "/clients/" + id, json);
        }
        if (created.statusCode() / 100 != 2) {
            throw new IllegalStateException("Creating Keycloak client " + CLIENT_ID + " failed: HTTP " + created.statusCode());
        }
    }

    private static HttpResponse<String> send(KeycloakServer keycloak, String method, String url, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + keycloak.adminToken()).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build();
        try {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String randomHex(SecureRandom random) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }
}
