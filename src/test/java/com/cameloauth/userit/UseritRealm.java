package com.cameloauth.userit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.cameloauth.testsupport.keycloak.KeycloakServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.RefreshToken;

/**
 * This helper's own realm {@value #REALM} in the test Keycloak, created through the admin REST API (the shared
 * {@code camel-oauth} realm stays untouched): refresh tokens rotate with reuse detection ({@code revokeRefreshToken},
 * {@code refreshTokenMaxReuse=0}), access tokens live {@link #ACCESS_TOKEN_LIFESPAN} (longer for the public client),
 * and login, code and refresh events are recorded so tests can count what Keycloak saw. One client and one user per
 * test class, so that event counts and an admin logout of a user's sessions never cross tests.
 */
final class UseritRealm {
    static final String REALM = "userit-rotation";
    static final String REDIRECT_URI = "http://127.0.0.1/oauth/callback";
    static final Duration ACCESS_TOKEN_LIFESPAN = Duration.ofSeconds(120);
    /** The public client's own access token lifespan (client attribute). */
    static final Duration RESTART_CLIENT_TOKEN_LIFESPAN = Duration.ofSeconds(900);

    /** Public client, authorization code with PKCE S256 (and password grants): the restart test. */
    static final String PUBLIC_CLIENT = "userit-public";
    /** Confidential clients, standard flow and direct access grants, one per test. */
    static final String RACE_CLIENT = "userit-race";
    static final String PASSWORD_CLIENT = "userit-password";
    static final String CONFIGURED_CLIENT = "userit-configured";
    static final String CLIENT_SECRET = "userit-client-secret-5Jt";

    static final String RESTART_USER = "userit-bob";
    static final String RACE_USER = "userit-carol";
    static final String PASSWORD_USER = "userit-dave";
    static final String CONFIGURED_USER = "userit-erin";

    /** The event types the realm records. */
    static final List<String> EVENT_TYPES = List.of("LOGIN", "LOGIN_ERROR", "CODE_TO_TOKEN", "CODE_TO_TOKEN_ERROR",
            "REFRESH_TOKEN", "REFRESH_TOKEN_ERROR", "LOGOUT");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Object LOCK = new Object();
    private static boolean created;

    private final KeycloakServer keycloak;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private UseritRealm(KeycloakServer keycloak) {
        this.keycloak = keycloak;
    }

    /** The realm in the JVM's Keycloak, created on first use. */
    static UseritRealm in(KeycloakServer keycloak) {
        UseritRealm realm = new UseritRealm(keycloak);
        synchronized (LOCK) {
            if (!created) {
                realm.create();
                created = true;
            }
        }
        return realm;
    }

    static String passwordOf(String username) {
        return username + "-password";
    }

    String issuer() {
        return keycloak.baseUrl() + "/realms/" + REALM;
    }

    String tokenUrl() {
        return issuer() + "/protocol/openid-connect/token";
    }

    String authorizationUrl() {
        return issuer() + "/protocol/openid-connect/auth";
    }

    String userinfoUrl() {
        return issuer() + "/protocol/openid-connect/userinfo";
    }

    /** Properties of a connection to this realm whose base URL is Keycloak's OIDC endpoints (so {@code userinfo}). */
    Map<String, String> connection(String name, String policy, String clientId) {
        String prefix = "oauth.connections." + name + ".";
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put(prefix + "policy", policy);
        p.put(prefix + "base-url", issuer() + "/protocol/openid-connect");
        p.put(prefix + "token-url", tokenUrl());
        p.put(prefix + "client-id", clientId);
        p.put(prefix + "scopes", "openid profile");
        p.put(prefix + "allow-insecure", "true"); // Keycloak listens on http://127.0.0.1 only
        if (PUBLIC_CLIENT.equals(clientId)) {
            p.put(prefix + "client-auth", "none");
        } else {
            p.put(prefix + "client-secret", CLIENT_SECRET);
        }
        return p;
    }

    // ---- events ----

    /** How many events of {@code type} Keycloak recorded for {@code clientId}. */
    int events(String clientId, String type) {
        JsonNode events = admin("GET", "/events?client=" + enc(clientId) + "&type=" + enc(type) + "&max=10000", null);
        return events.size();
    }

    /** Waits (bounded) until Keycloak has recorded {@code expected} events of {@code type} for the client. */
    void awaitEvents(String clientId, String type, int expected) {
        await(type + " events of " + clientId).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> events(clientId, type) >= expected);
    }

    /**
     * Counts of a client's events from now on: Keycloak keeps the events of earlier runs against the same server
     * (and of earlier tests), so tests compare with a baseline taken before they act.
     */
    Events eventsFromNow(String clientId) {
        Map<String, Integer> baseline = new java.util.HashMap<>();
        for (String type : EVENT_TYPES) {
            baseline.put(type, events(clientId, type));
        }
        return new Events(clientId, baseline);
    }

    /** A client's events since a baseline. */
    final class Events {
        private final String clientId;
        private final Map<String, Integer> baseline;

        private Events(String clientId, Map<String, Integer> baseline) {
            this.clientId = clientId;
            this.baseline = baseline;
        }

        /** How many events of {@code type} Keycloak recorded for the client since the baseline. */
        int count(String type) {
            return events(clientId, type) - baseline.get(type);
        }

        /** Waits (bounded) until Keycloak has recorded at least {@code expected} events of {@code type} since. */
        void await(String type, int expected) {
            awaitEvents(clientId, type, baseline.get(type) + expected);
        }

        /** The error and reason of the client's events of {@code type} (also older ones), for failure messages. */
        List<String> errors(String type) {
            return eventErrors(clientId, type);
        }
    }

    /** The {@code error} details of the client's events of {@code type}, for failure messages. */
    List<String> eventErrors(String clientId, String type) {
        JsonNode events = admin("GET", "/events?client=" + enc(clientId) + "&type=" + enc(type) + "&max=10000", null);
        List<String> errors = new java.util.ArrayList<>();
        events.forEach(e -> errors.add(e.path("error").asText() + ":" + e.path("details").path("reason").asText("")));
        return errors;
    }

    /** Ends every session of a user (admin console: Users / Sessions / Sign out): its refresh tokens stop working. */
    void logOutUser(String username) {
        JsonNode users = admin("GET", "/users?exact=true&username=" + enc(username), null);
        String id = users.get(0).path("id").asText();
        admin("POST", "/users/" + id + "/logout", null);
    }

    // ---- protocol calls by hand (Nimbus), as a third party would ----

    /** A password grant sent by hand (scopes openid profile, as the connections ask): the token response. */
    TokenResponse passwordGrant(String clientId, String username) {
        return token(clientId, new ResourceOwnerPasswordCredentialsGrant(username,
                new Secret(passwordOf(username))));
    }

    /** A refresh sent by hand with {@code refreshToken}: the token response (tokens or error). */
    TokenResponse refresh(String clientId, String refreshToken) {
        return token(clientId, new RefreshTokenGrant(new RefreshToken(refreshToken)));
    }

    private TokenResponse token(String clientId, AuthorizationGrant grant) {
        try {
            return TokenResponse.parse(new TokenRequest(URI.create(tokenUrl()),
                    new ClientSecretBasic(new ClientID(clientId), new Secret(CLIENT_SECRET)), grant,
                    Scope.parse("openid profile"))
                    .toHTTPRequest().send());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException e) {
            throw new AssertionError("the token endpoint answered no token response", e);
        }
    }

    /** {@code GET userinfo} with the access token: the status and, for 200, the claims. */
    HttpResponse<String> userinfo(String accessToken) {
        return send(HttpRequest.newBuilder(URI.create(userinfoUrl())).header("Authorization", "Bearer " + accessToken)
                .GET());
    }

    /** The claims of a JWT access token (no check: Keycloak checks it). */
    static JsonNode claims(String jwt) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- creation ----

    private void create() {
        HttpResponse<String> existing = send(HttpRequest.newBuilder(URI.create(keycloak.baseUrl() + "/admin/realms/"
                + REALM)).header("Authorization", "Bearer " + keycloak.adminToken()).GET());
        if (existing.statusCode() == 200) {
            return; // another class loader of this JVM created it
        }
        ObjectNode realm = JSON.createObjectNode()
                .put("realm", REALM)
                .put("enabled", true)
                .put("sslRequired", "none")
                .put("accessTokenLifespan", (int) ACCESS_TOKEN_LIFESPAN.toSeconds())
                .put("revokeRefreshToken", true)
                .put("refreshTokenMaxReuse", 0)
                .put("eventsEnabled", true)
                .put("eventsExpiration", 3600);
        ArrayNode types = realm.putArray("enabledEventTypes");
        EVENT_TYPES.forEach(types::add);
        ArrayNode clients = realm.putArray("clients");
        clients.add(client(PUBLIC_CLIENT, true));
        for (String id : List.of(RACE_CLIENT, PASSWORD_CLIENT, CONFIGURED_CLIENT)) {
            clients.add(client(id, false));
        }
        ArrayNode users = realm.putArray("users");
        for (String username : List.of(RESTART_USER, RACE_USER, PASSWORD_USER, CONFIGURED_USER)) {
            ObjectNode user = users.addObject().put("username", username).put("enabled", true)
                    .put("email", username + "@example.org").put("emailVerified", true)
                    .put("firstName", username).put("lastName", "Userit");
            user.putArray("requiredActions");
            user.putArray("credentials").addObject().put("type", "password").put("value", passwordOf(username))
                    .put("temporary", false);
        }
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(keycloak.baseUrl() + "/admin/realms"))
                .header("Authorization", "Bearer " + keycloak.adminToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(realm.toString())));
        if (response.statusCode() != 201) {
            throw new IllegalStateException("creating realm " + REALM + " failed: HTTP " + response.statusCode() + " "
                    + response.body());
        }
    }

    private static ObjectNode client(String clientId, boolean isPublic) {
        ObjectNode c = JSON.createObjectNode()
                .put("clientId", clientId)
                .put("enabled", true)
                .put("protocol", "openid-connect")
                .put("publicClient", isPublic)
                .put("standardFlowEnabled", true)
                .put("directAccessGrantsEnabled", true)
                .put("implicitFlowEnabled", false)
                .put("serviceAccountsEnabled", false);
        if (!isPublic) {
            c.put("clientAuthenticatorType", "client-secret").put("secret", CLIENT_SECRET);
        }
        c.putArray("redirectUris").add(REDIRECT_URI);
        ObjectNode attributes = c.putObject("attributes").put("pkce.code.challenge.method", "S256")
                .put("use.refresh.tokens", "true");
        if (isPublic) {
            // the restart test drives a browser on a busy machine: its token must not reach the engine's proactive
            // refresh point (4/5 of the lifetime) before the test refreshes on purpose
            attributes.put("access.token.lifespan", Long.toString(RESTART_CLIENT_TOKEN_LIFESPAN.toSeconds()));
        }
        return c;
    }

    private JsonNode admin(String method, String path, String jsonBody) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(keycloak.baseUrl() + "/admin/realms/" + REALM
                + path)).header("Authorization", "Bearer " + keycloak.adminToken()).header("Accept", "application/json");
        if (jsonBody == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method,
                    HttpRequest.BodyPublishers.ofString(jsonBody));
        }
        HttpResponse<String> response = send(request);
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " failed: HTTP " + response.statusCode() + " "
                    + response.body());
        }
        return response.body().isEmpty() ? JSON.nullNode() : json(response.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
