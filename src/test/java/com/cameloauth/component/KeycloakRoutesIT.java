package com.cameloauth.component;

import static com.cameloauth.testsupport.keycloak.KeycloakServer.NO_ROLE_CLIENT_ID;
import static com.cameloauth.testsupport.keycloak.KeycloakServer.NO_ROLE_CLIENT_SECRET;
import static com.cameloauth.testsupport.keycloak.KeycloakServer.ORDERS_CLIENT_ID;
import static com.cameloauth.testsupport.keycloak.KeycloakServer.ORDERS_CLIENT_SECRET;
import static com.cameloauth.testsupport.keycloak.KeycloakServer.USER_USERNAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.cameloauth.testsupport.keycloak.KeycloakExtension;
import com.cameloauth.testsupport.keycloak.KeycloakServer;
import com.cameloauth.token.InvalidClientException;
import com.cameloauth.token.Token;
import com.cameloauth.token.TokenEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@code oauth:} component in plain Camel against a real Keycloak: routes call Keycloak's admin API
 * ({@code GET /admin/realms/camel-oauth/users}, which needs {@code view-users}) through client-credentials
 * connections. Token requests are counted twice: by the engine's events and by Keycloak's own login events.
 */
@ExtendWith(KeycloakExtension.class)
class KeycloakRoutesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WRONG_SECRET = "wrong-secret-7f3a9c";

    private final KeycloakServer keycloak;
    private CamelContext camel;
    private ProducerTemplate template;
    private final List<TokenEvent> events = new CopyOnWriteArrayList<>();

    KeycloakRoutesIT(KeycloakServer keycloak) {
        this.keycloak = keycloak;
    }

    @BeforeAll
    static void recordLoginEvents(KeycloakServer keycloak) {
        new LoginEvents(keycloak).enable();
    }

    @BeforeEach
    void startCamel() throws Exception {
        Properties p = new Properties();
        connection(p, "keycloak", ORDERS_CLIENT_ID, "{{keycloak.orders.secret}}");
        connection(p, "keycloak-post", ORDERS_CLIENT_ID, "{{keycloak.orders.secret}}");
        p.setProperty("oauth.connections.keycloak-post.client-auth", "client_secret_post");
        connection(p, "wrong-secret", ORDERS_CLIENT_ID, WRONG_SECRET);
        connection(p, "no-role", NO_ROLE_CLIENT_ID, NO_ROLE_CLIENT_SECRET);
        p.setProperty("keycloak.orders.secret", ORDERS_CLIENT_SECRET);

        camel = new DefaultCamelContext();
        camel.getPropertiesComponent().setInitialProperties(p);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:token").to("oauth:keycloak?operation=token");
                for (String connection : List.of("keycloak", "keycloak-post", "wrong-secret", "no-role")) {
                    from("direct:users-" + connection)
                            .setHeader(Exchange.HTTP_METHOD, constant("GET"))
                            .to("oauth:" + connection + "/users");
                }
            }
        });
        camel.start();
        ((OAuthComponent) camel.getComponent("oauth")).getConnections().addListener(events::add);
        template = camel.createProducerTemplate();
    }

    @AfterEach
    void stopCamel() {
        camel.stop();
    }

    private void connection(Properties p, String name, String clientId, String secret) {
        String prefix = "oauth.connections." + name + ".";
        p.setProperty(prefix + "policy", "client-credentials");
        p.setProperty(prefix + "base-url", keycloak.adminApiUrl());
        p.setProperty(prefix + "token-url", keycloak.tokenUrl());
        p.setProperty(prefix + "client-id", clientId);
        p.setProperty(prefix + "client-secret", secret);
        p.setProperty(prefix + "allow-insecure", "true"); // Keycloak listens on http://127.0.0.1 only
    }

    @Test
    void tokenOperationGetsAClientCredentialsTokenForOrdersService() throws Exception {
        Instant before = Instant.now();
        Exchange out = template.request("direct:token", e -> { });
        Instant after = Instant.now();

        assertNull(out.getException());
        String token = out.getMessage().getHeader(OAuthConstants.ACCESS_TOKEN, String.class);
        String fingerprint = out.getMessage().getHeader(OAuthConstants.TOKEN_FINGERPRINT, String.class);
        assertTrue(fingerprint.matches("[0-9a-f]{16}"), fingerprint);
        assertEquals(Token.fingerprint(token), fingerprint);
        // compared without a message: a failure must not print the token
        assertTrue(("Bearer " + token).equals(out.getMessage().getHeader(OAuthConstants.AUTHORIZATION)),
                "CamelOAuthAuthorization is 'Bearer <the token>'");
        // Keycloak's expires_in is 300, or 299 when its answer straddles a second
        Instant expiresAt = out.getMessage().getHeader(OAuthConstants.TOKEN_EXPIRES_AT, Instant.class);
        assertFalse(expiresAt.isBefore(before.plusSeconds(298)), expiresAt + " vs " + before);
        assertFalse(expiresAt.isAfter(after.plusSeconds(300)), expiresAt + " vs " + after);

        JsonNode claims = claims(token);
        assertEquals(ORDERS_CLIENT_ID, claims.path("azp").asText());
        assertEquals(keycloak.issuer(), claims.path("iss").asText());
        assertEquals(List.of(TokenEvent.Type.ACQUIRED), types());
        assertEquals(fingerprint, events.get(0).fingerprint());
    }

    @Test
    void usersRouteReadsKeycloaksAdminApiWithTheToken() throws Exception {
        Exchange out = template.request("direct:users-keycloak", e -> { });

        assertNull(out.getException());
        assertEquals(200, out.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
        assertTrue(usernames(out).contains(USER_USERNAME), out.getMessage().getBody(String.class));
        assertNull(out.getMessage().getHeader("Authorization"), "the credential does not stay on the message");
        assertEquals(List.of(TokenEvent.Type.ACQUIRED), types());
    }

    @Test
    void tokenInvalidatedByTheServerIsRefreshedOnceAndTheCallReplayed() throws Exception {
        Exchange first = template.request("direct:users-keycloak", e -> { });
        assertNull(first.getException());
        String oldFingerprint = events.get(0).fingerprint();
        events.clear();

        keycloak.invalidateTokens(ORDERS_CLIENT_ID);
        LoginEvents logins = new LoginEvents(keycloak);
        int loginsBefore = logins.count(ORDERS_CLIENT_ID, "CLIENT_LOGIN");
        Exchange out = template.request("direct:users-keycloak", e -> { });

        assertNull(out.getException());
        assertEquals(200, out.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
        assertTrue(usernames(out).contains(USER_USERNAME));
        assertEquals(Boolean.TRUE, out.getMessage().getHeader(OAuthConstants.REPLAYED));
        assertEquals(List.of(TokenEvent.Type.REJECTED, TokenEvent.Type.REFRESHED, TokenEvent.Type.REPLAYED), types());
        assertEquals(oldFingerprint, events.get(0).fingerprint(), "the rejected token is the one held");
        String newFingerprint = events.get(1).fingerprint();
        assertNotEquals(oldFingerprint, newFingerprint);
        assertEquals(newFingerprint, events.get(2).fingerprint(), "the call is replayed with the new token");
        assertEquals(newFingerprint, out.getMessage().getHeader(OAuthConstants.TOKEN_FINGERPRINT));
        assertEquals(1, logins.count(ORDERS_CLIENT_ID, "CLIENT_LOGIN") - loginsBefore, "token requests seen by Keycloak");
    }

    @Test
    void wrongSecretFailsClearlyAndTheSecondCallFailsFastWithoutATokenRequest() throws Exception {
        LoginEvents logins = new LoginEvents(keycloak);
        int errorsBefore = logins.count(ORDERS_CLIENT_ID, "CLIENT_LOGIN_ERROR");

        Exchange first = template.request("direct:users-wrong-secret", e -> { });
        InvalidClientException rejected = assertInstanceOf(InvalidClientException.class, first.getException());
        assertEquals("unauthorized_client", rejected.errorCode().orElseThrow());
        assertEquals(401, rejected.httpStatus());
        assertEquals("wrong-secret", rejected.connection());
        assertTrue(rejected.getMessage().startsWith("OAuth connection 'wrong-secret': "), rejected.getMessage());
        assertTrue(rejected.getMessage().contains("check client-id, client-secret and client-auth"), rejected.getMessage());
        assertFalse(rejected.getMessage().contains(WRONG_SECRET), rejected.getMessage());
        assertEquals(List.of(TokenEvent.Type.FAILED, TokenEvent.Type.BLOCKED), types());
        assertEquals(rejected.getMessage(), events.get(0).detail(), "the FAILED event carries the message");
        assertEquals(1, logins.count(ORDERS_CLIENT_ID, "CLIENT_LOGIN_ERROR") - errorsBefore);
        events.clear();

        Exchange second = template.request("direct:users-wrong-secret", e -> { });
        InvalidClientException fast = assertInstanceOf(InvalidClientException.class, second.getException());
        assertEquals("unauthorized_client", fast.errorCode().orElseThrow());
        assertEquals(401, fast.httpStatus(), "the fail-fast error repeats the status of the rejection it remembers");
        assertTrue(fast.getMessage().startsWith("OAuth connection 'wrong-secret': not asking the token endpoint again"
                + " before "), fast.getMessage());
        assertTrue(fast.getMessage().contains("fix the client credentials"), fast.getMessage());
        assertFalse(fast.getMessage().contains(WRONG_SECRET), fast.getMessage());
        assertTrue(fast.isFailFast());
        assertEquals(List.of(), types(), "a fail-fast is not a new lifecycle event: no event (and no WARN) per call");
        assertEquals(1, logins.count(ORDERS_CLIENT_ID, "CLIENT_LOGIN_ERROR") - errorsBefore,
                "no second token request reached Keycloak");
    }

    @Test
    void clientWithoutTheRoleGetsForbiddenAndNoRefresh() {
        Exchange out = template.request("direct:users-no-role", e -> { });

        HttpOperationFailedException forbidden = assertInstanceOf(HttpOperationFailedException.class, out.getException());
        assertEquals(403, forbidden.getStatusCode());
        assertEquals(List.of(TokenEvent.Type.ACQUIRED), types(), "one token, never evicted or refreshed");
    }

    @Test
    void clientSecretPostWorksAgainstKeycloakToo() throws Exception {
        Exchange out = template.request("direct:users-keycloak-post", e -> { });

        assertNull(out.getException());
        assertEquals(200, out.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
        assertTrue(usernames(out).contains(USER_USERNAME));
        assertEquals(List.of(TokenEvent.Type.ACQUIRED), types());
        assertEquals("keycloak-post", events.get(0).connection());
    }

    @Test
    void concurrentCallsOnAColdConnectionShareOneTokenRequest() throws Exception {
        int threads = 32;
        LoginEvents logins = new LoginEvents(keycloak);
        int loginsBefore = logins.count(ORDERS_CLIENT_ID, "CLIENT_LOGIN");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Exchange>> results = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return template.request("direct:users-keycloak", e -> { });
                }));
            }
            go.countDown();
            for (Future<Exchange> f : results) {
                Exchange out = f.get(60, TimeUnit.SECONDS);
                assertNull(out.getException());
                assertEquals(200, out.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
            }
        } finally {
            pool.shutdownNow();
        }
        long acquired = events.stream().filter(e -> e.type() == TokenEvent.Type.ACQUIRED).count();
        int seenByKeycloak = logins.count(ORDERS_CLIENT_ID, "CLIENT_LOGIN") - loginsBefore;
        System.out.println("[keycloak-routes] " + threads + " concurrent calls on a cold connection: ACQUIRED events = "
                + acquired + ", token requests seen by Keycloak = " + seenByKeycloak);
        assertEquals(List.of(TokenEvent.Type.ACQUIRED), types());
        assertEquals(1, seenByKeycloak);
    }

    // ---- helpers ----

    private List<TokenEvent.Type> types() {
        return events.stream().map(TokenEvent::type).toList();
    }

    private static List<String> usernames(Exchange out) throws IOException {
        JsonNode users = JSON.readTree(out.getMessage().getBody(String.class));
        assertTrue(users.isArray(), users.toString());
        List<String> names = new ArrayList<>();
        users.forEach(u -> names.add(u.path("username").asText()));
        return names;
    }

    /** The payload of a JWT; the token itself is never printed. */
    private static JsonNode claims(String jwt) throws IOException {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    /**
     * Keycloak's own record of token requests: with events enabled, each client-credentials request is a
     * {@code CLIENT_LOGIN} event, each rejected one a {@code CLIENT_LOGIN_ERROR}. Counts what reached the server,
     * independently of the engine's events.
     */
    private static final class LoginEvents {
        private final KeycloakServer keycloak;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        LoginEvents(KeycloakServer keycloak) {
            this.keycloak = keycloak;
        }

        void enable() {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(keycloak.adminApiUrl() + "/events/config"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"eventsEnabled\":true}")));
            assertEquals(204, response.statusCode(), response.body());
        }

        int count(String clientId, String type) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(keycloak.adminApiUrl()
                    + "/events?client=" + clientId + "&type=" + type + "&max=10000")).GET());
            assertEquals(200, response.statusCode(), response.body());
            try {
                return JSON.readTree(response.body()).size();
            } catch (IOException e) {
                throw new AssertionError("events are not JSON: " + response.body(), e);
            }
        }

        private HttpResponse<String> send(HttpRequest.Builder request) {
            try {
                return http.send(request.header("Authorization", "Bearer " + keycloak.adminToken())
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new AssertionError(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
