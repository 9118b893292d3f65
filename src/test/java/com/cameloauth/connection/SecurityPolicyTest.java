package com.cameloauth.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.cameloauth.connection.ConnectionDefinition.OAuthClient;
import com.cameloauth.connection.SecurityPolicyReader.Support;
import com.cameloauth.connection.policy.ApiKeyPolicy;
import com.cameloauth.connection.policy.AuthorizationCodePolicy;
import com.cameloauth.connection.policy.AuthorizationServer;
import com.cameloauth.connection.policy.BasicPolicy;
import com.cameloauth.connection.policy.ClientCredentialsPolicy;
import com.cameloauth.connection.policy.ClientRegistration;
import com.cameloauth.connection.policy.NonePolicy;
import com.cameloauth.connection.policy.PasswordPolicy;
import com.cameloauth.connection.policy.RefreshTokenPolicy;

/**
 * The sealed security-policy model: one record per policy with its own keys. The user-acting policies
 * (authorization-code, password, refresh-token) are read with {@link Support#MODEL} until the engine runs them;
 * through the public entry points they stay "not available in this version".
 */
class SecurityPolicyTest {
    private static final String SECRET = "s3cr3t-Hb7Qe-never-shown";
    private static final String PASSWORD = "pa55-Lm3Vx-never-shown";
    private static final String REFRESH = "rt-Zc9Pw-never-shown";
    private static final String UNSET = "<unset>";

    /** A valid connection of the given policy, plus the given changes ({@link #UNSET} removes a key). */
    private static Map<String, String> connection(String policy, String... changes) {
        Map<String, String> p = new HashMap<>();
        put(p, "policy", policy, "base-url", "https://api.example.com", "client-id", "web-app");
        switch (policy) {
            case "authorization-code" -> put(p, "authorization-url", "https://idp.example.com/auth",
                    "token-url", "https://idp.example.com/token", "client-auth", "none", "scopes", "openid calendar");
            case "password" -> put(p, "token-url", "https://idp.example.com/token", "client-secret", SECRET,
                    "username", "alice", "password", PASSWORD);
            case "refresh-token" -> put(p, "token-url", "https://idp.example.com/token", "client-secret", SECRET,
                    "refresh-token", REFRESH);
            default -> put(p, "token-url", "https://idp.example.com/token", "client-secret", SECRET);
        }
        put(p, changes);
        return p;
    }

    private static void put(Map<String, String> p, String... keyValues) {
        for (int i = 0; i < keyValues.length; i += 2) {
            String key = "oauth.connections.web." + keyValues[i];
            if (UNSET.equals(keyValues[i + 1])) {
                p.remove(key);
            } else {
                p.put(key, keyValues[i + 1]);
            }
        }
    }

    private static ConnectionDefinition model(Map<String, String> properties) {
        return ConnectionDefinitions.settingsFromProperties(properties, Support.MODEL).connections().get("web");
    }

    private static ConnectionConfigurationException invalid(Map<String, String> properties, Support support) {
        ConnectionConfigurationException e = assertThrows(ConnectionConfigurationException.class,
                () -> ConnectionDefinitions.settingsFromProperties(properties, support));
        for (String secret : List.of(SECRET, PASSWORD, REFRESH)) {
            assertFalse(e.getMessage().contains(secret), () -> "message shows a secret: " + e.getMessage());
        }
        return e;
    }

    static Stream<Arguments> rules() {
        return Stream.of(
                rule("authorization-code", "authorization-url", "missing (set oauth.connections.web.authorization-url,"
                        + " or issuer to discover it)", "authorization-url", UNSET),
                rule("authorization-code", "authorization-url", "is http://", "authorization-url", "http://idp.example.com/auth"),
                rule("authorization-code", "authorization-url", "malformed URL", "authorization-url", "https://idp example.com"),
                rule("authorization-code", "redirect-uri", "must be https://, or http:// on localhost",
                        "redirect-uri", "http://app.example.com/oauth/callback"),
                rule("authorization-code", "redirect-uri", "must not have a fragment", "redirect-uri",
                        "https://app.example.com/oauth/callback#x"),
                rule("authorization-code", "redirect-uri", "is not an absolute URL with a host", "redirect-uri", "/oauth/callback"),
                rule("authorization-code", "client-secret", "is set, but client-auth=none sends no secret",
                        "client-secret", SECRET),
                rule("authorization-code", "client-id", "missing", "client-id", UNSET),
                rule("authorization-code", "token-url", "missing (set oauth.connections.web.token-url, or issuer to"
                        + " discover it)", "token-url", UNSET),
                rule("authorization-code", "issuer", "is http://", "issuer", "http://idp.example.com"),
                rule("authorization-code", "issuer", "must not have a query or fragment", "issuer",
                        "https://idp.example.com?tenant=1"),
                rule("authorization-code", "issuer", "is not an absolute URL with a host", "issuer", "idp"),
                rule("authorization-code", "client-auth", "did you mean 'none'?", "client-auth", "nonr"),
                rule("password", "username", "missing", "username", UNSET),
                rule("password", "password", "missing", "password", UNSET),
                rule("password", "client-secret", "missing", "client-secret", UNSET),
                rule("refresh-token", "refresh-token", "missing", "refresh-token", UNSET),
                rule("refresh-token", "revocation-url", "is http://", "revocation-url", "http://idp.example.com/revoke"),
                rule("refresh-token", "introspection-url", "must not contain a user name or password",
                        "introspection-url", "https://svc:" + SECRET + "@idp.example.com/introspect"),
                rule("client-credentials", "client-auth", "'none' (a public client) cannot use client-credentials",
                        "client-auth", "none", "client-secret", UNSET),
                rule("client-credentials", "client-auth", "'none' (a public client) cannot use client-credentials",
                        "client-auth", "none"));
    }

    private static Arguments rule(String policy, String key, String expected, String... changes) {
        return Arguments.of(policy, key, expected, changes);
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @MethodSource("rules")
    void invalidKeyOfAPolicyThenOneLineNamingTheKey(String policy, String key, String expected, String[] changes) {
        ConnectionConfigurationException e = invalid(connection(policy, changes), Support.MODEL);

        assertEquals(1, e.problems().size(), () -> "expected one problem: " + e.problems());
        String line = e.problems().get(0);
        assertTrue(line.startsWith("connection 'web': key '" + key + "': "), line);
        assertTrue(line.contains(expected), line);
    }

    @Test
    void publicClientForAuthorizationCodeThenAcceptedWithoutASecret() {
        ConnectionDefinition d = model(connection("authorization-code"));

        AuthorizationCodePolicy policy = assertInstanceOf(AuthorizationCodePolicy.class, d.security());
        assertTrue(policy.client().isPublic());
        assertEquals(Optional.empty(), policy.client().clientSecret());
        assertEquals(ClientAuthMethod.NONE, policy.client().clientAuth());
        assertEquals(List.of("openid", "calendar"), policy.client().scopes());
        assertEquals(Optional.of(URI.create("https://idp.example.com/auth")), policy.client().server().authorizationUrl());
        assertEquals(URI.create("http://localhost:8080/oauth/callback"), policy.redirectUri(), "the documented default");
        assertEquals(Policy.AUTHORIZATION_CODE, d.policy());
    }

    @Test
    void confidentialClientForAuthorizationCodeThenSecretKept() {
        ConnectionDefinition d = model(connection("authorization-code", "client-auth", "client_secret_post",
                "client-secret", SECRET, "redirect-uri", "https://app.example.com/oauth/callback"));

        AuthorizationCodePolicy policy = (AuthorizationCodePolicy) d.security();
        assertEquals(SECRET, policy.client().clientSecret().orElseThrow().reveal());
        assertEquals(URI.create("https://app.example.com/oauth/callback"), policy.redirectUri());
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://localhost:9000/cb", "http://127.0.0.1:8080/oauth/callback", "http://[::1]/cb" })
    void loopbackRedirectUriThenHttpAccepted(String redirectUri) {
        AuthorizationCodePolicy policy = (AuthorizationCodePolicy) model(connection("authorization-code",
                "redirect-uri", redirectUri)).security();

        assertEquals(URI.create(redirectUri), policy.redirectUri());
    }

    @Test
    void allowInsecureThenHttpAcceptedForEveryEndpointAndTheRedirectUri() {
        ConnectionDefinition d = model(connection("authorization-code", "allow-insecure", "true",
                "issuer", "http://127.0.0.1:9000/realms/shop", "authorization-url", "http://127.0.0.1:9000/auth",
                "token-url", "http://127.0.0.1:9000/token", "revocation-url", "http://127.0.0.1:9000/revoke",
                "introspection-url", "http://127.0.0.1:9000/introspect", "redirect-uri", "http://app.internal/cb"));

        AuthorizationCodePolicy policy = (AuthorizationCodePolicy) d.security();
        assertEquals(new AuthorizationServer(Optional.of(URI.create("http://127.0.0.1:9000/realms/shop")),
                Optional.of(URI.create("http://127.0.0.1:9000/token")), Optional.of(URI.create("http://127.0.0.1:9000/auth")),
                Optional.of(URI.create("http://127.0.0.1:9000/revoke")),
                Optional.of(URI.create("http://127.0.0.1:9000/introspect"))), policy.client().server());
        assertEquals(URI.create("http://app.internal/cb"), policy.redirectUri());
    }

    @Test
    void issuerWithoutTokenOrAuthorizationUrlThenAcceptedForDiscovery() {
        ConnectionDefinition d = model(connection("authorization-code", "issuer", "https://idp.example.com/realms/shop",
                "token-url", UNSET, "authorization-url", UNSET));

        AuthorizationServer server = ((AuthorizationCodePolicy) d.security()).client().server();
        assertEquals(Optional.of(URI.create("https://idp.example.com/realms/shop")), server.issuer());
        assertTrue(server.needsDiscovery());
        assertEquals(Optional.empty(), d.oauthClient(), "no token endpoint to give the engine until discovery ran");
    }

    @Test
    void issuerAndExplicitUrlsThenExplicitOnesKept() {
        AuthorizationServer server = ((OAuthPolicyHolder) () -> model(connection("refresh-token",
                "issuer", "https://idp.example.com", "revocation-url", "https://idp.example.com/revoke",
                "introspection-url", "https://idp.example.com/introspect"))).server();

        assertEquals(Optional.of(URI.create("https://idp.example.com/token")), server.tokenUrl());
        assertEquals(Optional.of(URI.create("https://idp.example.com/revoke")), server.revocationUrl());
        assertEquals(Optional.of(URI.create("https://idp.example.com/introspect")), server.introspectionUrl());
        assertFalse(server.needsDiscovery());
    }

    /** Reads the server of the definition's OAuth policy. */
    private interface OAuthPolicyHolder {
        ConnectionDefinition definition();

        default AuthorizationServer server() {
            return ((com.cameloauth.connection.policy.OAuthPolicy) definition().security()).client().server();
        }
    }

    @Test
    void passwordAndRefreshTokenThenTheirRecords() {
        PasswordPolicy password = assertInstanceOf(PasswordPolicy.class, model(connection("password")).security());
        assertEquals("alice", password.username());
        assertEquals(PASSWORD, password.password().reveal());
        assertEquals(SECRET, password.client().clientSecret().orElseThrow().reveal());

        RefreshTokenPolicy refresh = assertInstanceOf(RefreshTokenPolicy.class, model(connection("refresh-token")).security());
        assertEquals(REFRESH, refresh.refreshToken().reveal());
    }

    @Test
    void passwordWithAPublicClientThenAccepted() {
        PasswordPolicy password = (PasswordPolicy) model(connection("password", "client-auth", "none",
                "client-secret", UNSET)).security();

        assertTrue(password.client().isPublic());
    }

    @ParameterizedTest
    @ValueSource(strings = { "authorization-code", "password", "refresh-token" })
    void userActingPolicyThroughThePublicEntryPointThenAccepted(String policy) {
        // The engine (OAuthConnections.grantFor) runs these now: the public entry point reads them as the model does.
        ConnectionDefinition engine = ConnectionDefinitions.settingsFromProperties(connection(policy), Support.ENGINE)
                .connections().get("web");

        assertEquals(model(connection(policy)), engine);
        assertEquals(policy, engine.policy().value());
    }

    @Test
    void authorizationCodeWithIssuerButNoAuthorizationUrlThroughThePublicEntryPointThenLeftToDiscovery() {
        // The engine discovers the authorization endpoint from the issuer's metadata (token.discovery).
        ConnectionDefinition d = ConnectionDefinitions.settingsFromProperties(connection("authorization-code", "issuer",
                "https://idp.example.com", "authorization-url", UNSET), Support.ENGINE).connections().get("web");

        assertTrue(((AuthorizationCodePolicy) d.security()).client().server().authorizationUrl().isEmpty());
    }

    @Test
    void issuerWithoutTokenUrlThroughThePublicEntryPointThenLeftToDiscovery() {
        ConnectionDefinition d = ConnectionDefinitions.settingsFromProperties(connection("client-credentials", "issuer",
                "https://idp.example.com", "token-url", UNSET), Support.ENGINE).connections().get("web");

        assertTrue(((ClientCredentialsPolicy) d.security()).client().server().needsDiscovery());
    }

    @Test
    void clientCredentialsWithIssuerAndTokenUrlThenAcceptedAndOldAccessorsUnchanged() {
        ConnectionDefinition d = ConnectionDefinitions.fromProperties(connection("client-credentials",
                "issuer", "https://idp.example.com", "scopes", "a b", "audience", "api", "resource", "https://r.example.com"))
                .get("web");

        ClientCredentialsPolicy policy = assertInstanceOf(ClientCredentialsPolicy.class, d.security());
        assertEquals(Optional.of(URI.create("https://idp.example.com")), policy.client().server().issuer());
        assertEquals(Policy.CLIENT_CREDENTIALS, d.policy());
        assertTrue(d.policy().isOAuth());
        assertEquals(Optional.empty(), d.credentials());
        OAuthClient client = d.oauthClient().orElseThrow();
        assertEquals(new OAuthClient(URI.create("https://idp.example.com/token"), "web-app", Optional.of(Secret.of(SECRET)),
                ClientAuthMethod.CLIENT_SECRET_BASIC, List.of("a", "b"), Optional.of("api"),
                List.of(URI.create("https://r.example.com"))), client);
    }

    @Test
    void staticPoliciesThenTheirRecordsAndTheOldCredentials() {
        Map<String, String> p = new HashMap<>();
        p.putAll(Map.of("oauth.connections.erp.policy", "basic", "oauth.connections.erp.base-url", "https://erp.example.com",
                "oauth.connections.erp.username", "svc", "oauth.connections.erp.password", PASSWORD,
                "oauth.connections.maps.policy", "api-key", "oauth.connections.maps.base-url", "https://maps.example.com",
                "oauth.connections.maps.api-key", SECRET,
                "oauth.connections.open.policy", "none", "oauth.connections.open.base-url", "https://open.example.com"));
        Map<String, ConnectionDefinition> all = ConnectionDefinitions.fromProperties(p);

        assertEquals(new BasicPolicy("svc", Secret.of(PASSWORD)), all.get("erp").security());
        assertEquals(new ConnectionDefinition.BasicCredentials("svc", Secret.of(PASSWORD)),
                all.get("erp").credentials().orElseThrow());
        assertEquals(new ApiKeyPolicy("X-API-Key", Secret.of(SECRET)), all.get("maps").security());
        assertEquals(new ConnectionDefinition.ApiKeyCredentials("X-API-Key", Secret.of(SECRET)),
                all.get("maps").credentials().orElseThrow());
        assertEquals(new NonePolicy(), all.get("open").security());
        for (ConnectionDefinition d : all.values()) {
            assertEquals(Optional.empty(), d.oauthClient());
            assertFalse(d.policy().isOAuth());
        }
    }

    @Test
    void toStringOfEveryPolicyThenMasksItsSecrets() {
        Map<String, String> p = new HashMap<>();
        for (String policy : List.of("authorization-code", "password", "refresh-token")) {
            connection(policy).forEach((k, v) -> p.put(k.replace(".web.", "." + policy + "."), v));
        }
        p.putAll(Map.of("oauth.connections.confidential.policy", "authorization-code",
                "oauth.connections.confidential.base-url", "https://api.example.com",
                "oauth.connections.confidential.client-id", "c", "oauth.connections.confidential.client-secret", SECRET,
                "oauth.connections.confidential.issuer", "https://idp.example.com"));

        Map<String, ConnectionDefinition> all = ConnectionDefinitions.settingsFromProperties(p, Support.MODEL).connections();

        assertEquals(4, all.size());
        String text = all.toString();
        for (String secret : List.of(SECRET, PASSWORD, REFRESH)) {
            assertFalse(text.contains(secret), () -> "toString shows a secret: " + text);
        }
        assertTrue(text.contains("******"), text);
    }

    @Test
    void recordsThenRefuseInconsistentSettings() {
        AuthorizationServer server = AuthorizationServer.ofTokenUrl(URI.create("https://idp.example.com/token"));
        ClientRegistration publicClient = new ClientRegistration("web", Optional.empty(), ClientAuthMethod.NONE, server,
                List.of(), Optional.empty(), List.of());

        assertThrows(IllegalArgumentException.class, () -> new ClientCredentialsPolicy(publicClient));
        assertThrows(IllegalArgumentException.class, () -> new ClientRegistration("web", Optional.empty(),
                ClientAuthMethod.CLIENT_SECRET_BASIC, server, List.of(), Optional.empty(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new AuthorizationServer(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new AuthorizationCodePolicy(publicClient,
                AuthorizationCodePolicy.DEFAULT_REDIRECT_URI), "no authorization endpoint and no issuer");
    }
}
