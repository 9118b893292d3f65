package com.cameloauth.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import com.cameloauth.connection.ConnectionDefinition.ApiKeyCredentials;
import com.cameloauth.connection.ConnectionDefinition.BasicCredentials;
import com.cameloauth.connection.ConnectionDefinition.OAuthClient;

class ConnectionDefinitionsTest {
    private static final String SECRET = "s3cr3t-Kp4Zt-never-shown";
    private static final String PASSWORD = "pa55-Wq2Rr-never-shown";
    private static final String API_KEY = "key-Yt6Nm-never-shown";
    /** Marks a key to remove from the valid connection. */
    private static final String UNSET = "<unset>";

    /** A valid client-credentials connection over https, plus the given changes ({@link #UNSET} removes a key). */
    private static Map<String, String> orders(String... keyValues) {
        Map<String, String> p = new HashMap<>();
        connection(p, "orders", "policy", "client-credentials", "base-url", "https://api.example.com",
                "token-url", "https://idp.example.com/token", "client-id", "orders-client", "client-secret", SECRET);
        connection(p, "orders", keyValues);
        return p;
    }

    private static void connection(Map<String, String> p, String name, String... keyValues) {
        for (int i = 0; i < keyValues.length; i += 2) {
            String key = "oauth.connections." + name + "." + keyValues[i];
            if (UNSET.equals(keyValues[i + 1])) {
                p.remove(key);
            } else {
                p.put(key, keyValues[i + 1]);
            }
        }
    }

    private static ConnectionConfigurationException invalid(Map<String, String> properties) {
        ConnectionConfigurationException e = assertThrows(ConnectionConfigurationException.class,
                () -> ConnectionDefinitions.fromProperties(properties));
        for (String secret : List.of(SECRET, PASSWORD, API_KEY)) {
            assertFalse(e.getMessage().contains(secret), () -> "message shows a secret: " + e.getMessage());
        }
        return e;
    }

    static Stream<Arguments> rules() {
        return Stream.of(
                rule("policy", "missing (set oauth.connections.orders.policy)", "policy", UNSET),
                rule("policy", "policy 'implicit' is refused", "policy", "implicit"),
                rule("policy", "unknown policy 'magic'", "policy", "magic"),
                rule("base-url", "missing", "base-url", UNSET),
                rule("base-url", "malformed URL", "base-url", "https://api example.com"),
                rule("base-url", "is not an absolute URL with a host", "base-url", "/api"),
                rule("base-url", "must be an https:// URL", "base-url", "ftp://files.example.com/api"),
                rule("base-url", "is http://", "base-url", "http://api.example.com"),
                rule("token-url", "missing", "token-url", UNSET),
                rule("token-url", "is http://", "token-url", "http://idp.example.com/token"),
                rule("client-id", "missing", "client-id", UNSET),
                rule("client-secret", "missing", "client-secret", UNSET),
                rule("client-secret", "missing", "client-secret", "  "),
                rule("client-auth", "unknown method 'magic'", "client-auth", "magic"),
                rule("resource", "is not an absolute URL with a host", "resource", "https://api.example.com orders"),
                rule("allow-insecure", "is not true or false", "allow-insecure", "yes"),
                rule("connect-timeout", "is not a duration", "connect-timeout", "soon"),
                rule("read-timeout", "must not be negative", "read-timeout", "-5s"),
                rule("refresh-skew", "is not a duration", "refresh-skew", "soon"),
                rule("default-expires-in", "must be longer than zero", "default-expires-in", "0"),
                rule("default-expires-in", "must not be longer than max-expires-in", "default-expires-in", "2h",
                        "max-expires-in", "1h"),
                rule("max-expires-in", "must be longer than zero", "max-expires-in", "0s"),
                rule("min-fetch-interval", "is not a duration", "min-fetch-interval", "soon"),
                rule("max-attempts", "is not a whole number", "max-attempts", "three"),
                rule("max-attempts", "must be at least 1", "max-attempts", "0"),
                rule("retry-backoff", "is not a duration", "retry-backoff", "soon"),
                rule("max-retry-after", "must not be negative", "max-retry-after", "-1m"),
                rule("circuit-failure-threshold", "must be at least 1", "circuit-failure-threshold", "0"),
                rule("circuit-open-duration", "is not a duration", "circuit-open-duration", "soon"),
                rule("username", "missing", "policy", "basic", "password", PASSWORD),
                rule("password", "missing", "policy", "basic", "username", "svc"),
                rule("api-key", "missing", "policy", "api-key"),
                rule("client-secrte", "unknown key", "client-secrte", SECRET),
                // Issue 8 section 1: a credential header that camel-http would drop, or that breaks the request.
                rule("header-name", "is not a valid HTTP header name", "header-name", "X Token"),
                rule("header-name", "is not a valid HTTP header name", "header-name", "X-Token\r\nX-Injected: 1"),
                rule("header-name", "is not a valid HTTP header name", "header-name", "X-Token:"),
                rule("header-name", "is not a valid HTTP header name", "header-name", "X-T\u00f6ken"),
                rule("header-name", "camel-http never sends headers whose name starts with Camel", "header-name", "CamelHttpUri"),
                rule("header-name", "camel-http never sends headers whose name starts with Camel", "header-name", "camelToken"),
                rule("header-name", "is an HTTP control header", "header-name", "Content-Type"),
                rule("header-name", "is an HTTP control header", "header-name", "host"),
                rule("header-name", "is an HTTP control header", "header-name", "Transfer-Encoding"),
                rule("header-prefix", "is not a valid authentication scheme", "header-prefix", "Bearer token"),
                rule("header-prefix", "is not a valid authentication scheme", "header-prefix", "Bearer\r\nX-Injected:"),
                rule("api-key-header", "camel-http never sends headers whose name starts with Camel", "policy", "api-key",
                        "api-key", API_KEY, "api-key-header", "CamelApiKey"),
                rule("api-key-header", "is an HTTP control header", "policy", "api-key", "api-key", API_KEY,
                        "api-key-header", "Content-Length"),
                rule("api-key-header", "is not a valid HTTP header name", "policy", "api-key", "api-key", API_KEY,
                        "api-key-header", "X API Key"),
                // Issue 8 section 4: a zero timeout is infinite in HttpClient; huge durations overflow.
                rule("connect-timeout", "must be longer than zero", "connect-timeout", "0"),
                rule("read-timeout", "must be longer than zero", "read-timeout", "0s"),
                rule("request-timeout", "must be longer than zero", "request-timeout", "0ms"),
                rule("connect-timeout", "is too long (at most 1h)", "connect-timeout", "2h"),
                rule("read-timeout", "is too long (at most 1h)", "read-timeout", "99999999999999999999d"),
                rule("request-timeout", "is too long (at most 1h)", "request-timeout", "PT9999999999999999H"),
                rule("retry-backoff", "is too long (at most 1m)", "retry-backoff", "9999999999999999d"),
                rule("refresh-skew", "is too long (at most 365d)", "refresh-skew", "999999999999d"),
                rule("max-expires-in", "is too long (at most 365d)", "max-expires-in", "9999999999999999999999ms"),
                rule("min-fetch-interval", "is too long (at most 1h)", "min-fetch-interval", "2h"),
                rule("max-retry-after", "is too long (at most 24h)", "max-retry-after", "25h"),
                rule("circuit-open-duration", "is too long (at most 24h)", "circuit-open-duration", "PT25H"),
                rule("max-attempts", "must be at most 10", "max-attempts", "11"),
                rule("max-attempts", "must be at most 10", "max-attempts", "99999999999999999999"),
                rule("circuit-failure-threshold", "must be at most 100", "circuit-failure-threshold", "101"),
                // Issue 8 section 4: user info in a URL is a credential in the wrong place; never echoed.
                rule("base-url", "must not contain a user name or password", "base-url",
                        "https://svc:" + PASSWORD + "@api.example.com"),
                rule("token-url", "must not contain a user name or password", "token-url",
                        "https://svc:" + PASSWORD + "@idp.example.com/token"),
                rule("resource", "must not contain a user name or password", "resource",
                        "https://svc:" + PASSWORD + "@a.example.com"),
                // Issue 9: typos get a suggestion.
                rule("policy", "did you mean 'client-credentials'?", "policy", "client-credential"),
                rule("client-auth", "did you mean 'client_secret_post'?", "client-auth", "client_secret_pots"));
    }

    private static Arguments rule(String key, String expected, String... changes) {
        return Arguments.of(key, expected, changes);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("rules")
    void invalidKeyThenOneLineNamingConnectionAndKey(String key, String expected, String[] changes) {
        ConnectionConfigurationException e = invalid(orders(changes));

        assertEquals(1, e.problems().size(), () -> "expected one problem: " + e.problems());
        String line = e.problems().get(0);
        assertTrue(line.startsWith("connection 'orders': key '" + key + "': "), line);
        assertTrue(line.contains(expected), line);
        assertTrue(e.getMessage().contains(line), e::getMessage);
    }

    @Test
    void problemsInSeveralConnectionsThenAllReportedInOneException() {
        Map<String, String> p = orders("token-url", UNSET, "max-attempts", "x");
        connection(p, "billing", "policy", "implicit", "base-url", "https://billing.example.com");
        connection(p, "crm", "policy", "none", "base-url", "https://crm.example.com");

        ConnectionConfigurationException e = invalid(p);

        assertEquals(3, e.problems().size(), () -> String.valueOf(e.problems()));
        assertTrue(e.getMessage().startsWith("Invalid OAuth connection configuration (3 problems):"), e::getMessage);
        assertTrue(e.problems().stream().anyMatch(l -> l.startsWith("connection 'orders': key 'token-url': missing")));
        assertTrue(e.problems().stream().anyMatch(l -> l.startsWith("connection 'orders': key 'max-attempts': ")));
        assertTrue(e.problems().stream().anyMatch(l -> l.startsWith("connection 'billing': key 'policy': ")));
    }

    @Test
    void unknownKeyAndOtherProblemsThenAllReportedTogether() {
        Map<String, String> p = orders("client-secret", UNSET, "client-secrte", SECRET);
        connection(p, "billing", "policy", "client-credentials", "base-url", "https://billing.example.com");

        ConnectionConfigurationException e = invalid(p);

        List<String> problems = e.problems();
        assertTrue(problems.contains("connection 'orders': key 'client-secrte': unknown key (did you mean 'client-secret'?)"),
                problems::toString);
        assertTrue(problems.stream().anyMatch(l -> l.startsWith("connection 'orders': key 'client-secret': missing")),
                problems::toString);
        assertTrue(problems.stream().anyMatch(l -> l.startsWith("connection 'billing': key 'token-url': missing")),
                problems::toString);
    }

    @Test
    void implicitThenRefusedWithReasonAndAlternatives() {
        ConnectionConfigurationException e = invalid(orders("policy", "implicit"));

        String line = e.problems().get(0);
        assertTrue(line.contains("RFC 9700"), line);
        assertTrue(line.contains("'authorization-code' (with PKCE)"), line);
        assertTrue(line.contains("'client-credentials'"), line);
    }

    @Test
    void urlWithUserInfoThenRefusedAndShownWithoutIt() {
        ConnectionConfigurationException e = invalid(orders("token-url", "http://svc:" + PASSWORD + "@idp.example.com/token"));

        assertEquals(List.of("connection 'orders': key 'token-url': 'http://idp.example.com/token' must not contain a user"
                + " name or password; set client-id and client-secret (or username and password) instead"), e.problems());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "https://svc:SECRETPW@api example.com/x?token=SECRETQ | malformed URL 'https://api example.com/x'",
            "//svc:SECRETPW@/api?token=SECRETQ                    | is not an absolute URL with a host",
            "/api?token=SECRETQ#frag                               | '/api' is not an absolute URL with a host",
            "https://api.example.com/x?token=SECRETQ              | must not have a query or fragment" })
    void badUrlThenMessageShowsNeitherUserInfoNorQuery(String url, String expected) {
        ConnectionConfigurationException e = invalid(orders("base-url", url));

        String line = e.problems().get(0);
        assertTrue(line.contains(expected), line);
        assertFalse(line.contains("SECRETPW") || line.contains("SECRETQ"), line);
    }

    @Test
    void unknownKeyThenSuggestsTheNearestKey() {
        ConnectionConfigurationException e = invalid(orders("client-secrte", SECRET, "tokn-url", "https://x.example.com",
                "colour", "blue"));

        assertEquals(List.of("connection 'orders': key 'client-secrte': unknown key (did you mean 'client-secret'?)",
                "connection 'orders': key 'colour': unknown key",
                "connection 'orders': key 'tokn-url': unknown key (did you mean 'token-url'?)"), e.problems());
    }

    @Test
    void headersThatCamelHttpSendsThenAccepted() {
        ConnectionDefinition d = ConnectionDefinitions.fromProperties(orders("header-name", "X-Auth-Token",
                "header-prefix", "SSWS")).get("orders");
        assertEquals("SSWS abc", d.header().valueFor("abc"));
        ConnectionDefinition key = ConnectionDefinitions.fromProperties(orders("policy", "api-key", "api-key", API_KEY,
                "api-key-header", "Ocp-Apim-Subscription-Key")).get("orders");
        assertEquals("Ocp-Apim-Subscription-Key", ((ApiKeyCredentials) key.credentials().orElseThrow()).headerName());
    }

    @Test
    void largestDurationsThenAccepted() {
        ConnectionDefinition d = ConnectionDefinitions.fromProperties(orders("connect-timeout", "1h", "read-timeout", "PT1H",
                "request-timeout", "3600", "max-expires-in", "365d", "default-expires-in", "365d", "max-attempts", "10",
                "circuit-failure-threshold", "100", "retry-backoff", "1m", "max-retry-after", "24h")).get("orders");
        assertEquals(Duration.ofHours(1), d.timeouts().request());
        assertEquals(Duration.ofDays(365), d.timing().maxExpiresIn());
        assertEquals(10, d.resilience().maxAttempts());
    }

    @Test
    void unresolvedExpressionThenOneLineNamingTheVariable() {
        ConnectionConfigurationException e = invalid(orders("client-secret", "${CAMEL_OAUTH_TEST_UNSET_SECRET}"));

        assertEquals(List.of("connection 'orders': key 'client-secret': variable 'CAMEL_OAUTH_TEST_UNSET_SECRET' is not set"
                + " (${CAMEL_OAUTH_TEST_UNSET_SECRET})"), e.problems());
    }

    @Test
    void camelPlaceholderOutsideCamelThenRefusedWithTheExpressionToWrite() {
        ConnectionConfigurationException e = invalid(orders("client-secret", "{{env:CAMEL_OAUTH_TEST_UNSET_SECRET}}",
                "client-id", "{{orders.client.id}}"));

        // Without Camel nothing resolves {{...}}: the text itself would be sent as the secret.
        assertEquals(List.of(
                "connection 'orders': key 'client-id': '{{orders.client.id}}' was not resolved: {{...}} placeholders work"
                        + " in Camel properties only; here write ${orders.client.id}",
                "connection 'orders': key 'client-secret': '{{env:CAMEL_OAUTH_TEST_UNSET_SECRET}}' was not resolved:"
                        + " {{...}} placeholders work in Camel properties only; here write ${CAMEL_OAUTH_TEST_UNSET_SECRET}"),
                e.problems());
    }

    @Test
    void envPrefixInsideAnExpressionThenRefused() {
        // SmallRye Config reads ${env:X} as the property 'env' with the default 'X': the secret would be the text "X".
        ConnectionConfigurationException e = invalid(orders("client-secret", "${env:ORDERS_SECRET}"));

        assertEquals(List.of("connection 'orders': key 'client-secret': '${env:ORDERS_SECRET}' is not an environment"
                + " lookup in this configuration: write ${ORDERS_SECRET}"), e.problems());
    }

    @Test
    void defaultsThenAsDocumentedInOAuthConfig() {
        ConnectionDefinition d = ConnectionDefinitions.fromProperties(orders()).get("orders");

        assertEquals(Policy.CLIENT_CREDENTIALS, d.policy());
        assertEquals(URI.create("https://api.example.com"), d.baseUrl());
        OAuthClient client = d.oauthClient().orElseThrow();
        assertEquals(ClientAuthMethod.CLIENT_SECRET_BASIC, client.clientAuth());
        assertEquals(List.of(), client.scopes());
        assertEquals(Optional.empty(), client.audience());
        assertEquals(List.of(), client.resources());
        assertEquals(Optional.empty(), d.timing().refreshSkew(), "a fifth of the lifetime, less jitter");
        assertEquals(Duration.ofMinutes(5), d.timing().defaultExpiresIn());
        assertEquals(Duration.ofHours(24), d.timing().maxExpiresIn());
        assertEquals(Duration.ofSeconds(1), d.timing().minFetchInterval());
        assertEquals(Duration.ofSeconds(10), d.timeouts().connect());
        assertEquals(Duration.ofSeconds(30), d.timeouts().read());
        assertEquals(3, d.resilience().maxAttempts());
        assertEquals(Duration.ofMillis(200), d.resilience().retryBackoff());
        assertEquals(Duration.ofMinutes(5), d.resilience().maxRetryAfter());
        assertEquals(5, d.resilience().circuitFailureThreshold());
        assertEquals(Duration.ofSeconds(30), d.resilience().circuitOpenDuration());
        assertEquals("Authorization", d.header().name());
        assertEquals("Bearer", d.header().prefix());
        // allow-insecure defaults to false: the http:// rule above fails without it.
    }

    @Test
    void headerPrefixNoneThenBareToken() {
        ConnectionDefinition d = ConnectionDefinitions.fromProperties(orders("header-name", "X-Token",
                "header-prefix", "none")).get("orders");
        assertEquals("abc", d.header().valueFor("abc"));
        assertEquals("X-Token", d.header().name());
    }

    @Test
    void apiKeyHeaderDefaultsToXApiKey() {
        ConnectionDefinition d = ConnectionDefinitions.fromProperties(orders("policy", "api-key", "api-key", API_KEY))
                .get("orders");

        ApiKeyCredentials key = (ApiKeyCredentials) d.credentials().orElseThrow();
        assertEquals("X-API-Key", key.headerName());
        assertEquals(API_KEY, key.apiKey().reveal());
        assertTrue(d.oauthClient().isEmpty());
    }

    @Test
    void allowInsecureThenHttpAccepted() {
        ConnectionDefinition d = ConnectionDefinitions.fromProperties(orders("allow-insecure", "true",
                "base-url", "http://127.0.0.1:8080", "token-url", "http://127.0.0.1:8081/token")).get("orders");

        assertEquals(URI.create("http://127.0.0.1:8081/token"), d.oauthClient().orElseThrow().tokenUrl());
    }

    @Test
    void scopesAndResourcesThenSplitOnSpacesAndCommas() {
        OAuthClient client = ConnectionDefinitions.fromProperties(orders("scopes", " orders:read,orders:write  admin ",
                "resource", "https://a.example.com, https://b.example.com", "client-auth", "CLIENT_SECRET_POST"))
                .get("orders").oauthClient().orElseThrow();

        assertEquals(List.of("orders:read", "orders:write", "admin"), client.scopes());
        assertEquals(List.of(URI.create("https://a.example.com"), URI.create("https://b.example.com")), client.resources());
        assertEquals(ClientAuthMethod.CLIENT_SECRET_POST, client.clientAuth());
    }

    @Test
    void toStringOfDefinitionsThenMasksEverySecret() {
        Map<String, String> p = orders();
        connection(p, "legacy", "policy", "basic", "base-url", "https://legacy.example.com", "username", "svc",
                "password", PASSWORD);
        connection(p, "maps", "policy", "api-key", "base-url", "https://maps.example.com", "api-key", API_KEY);

        Map<String, ConnectionDefinition> all = ConnectionDefinitions.fromProperties(p);

        String text = all.toString();
        for (String secret : List.of(SECRET, PASSWORD, API_KEY)) {
            assertFalse(text.contains(secret), () -> "toString shows a secret: " + text);
        }
        assertEquals(PASSWORD, ((BasicCredentials) all.get("legacy").credentials().orElseThrow()).password().reveal());
    }

    @ParameterizedTest
    @CsvSource({ "30s, PT30S", "500ms, PT0.5S", "PT1M, PT1M", "5, PT5S", "5m, PT5M", "1h, PT1H", "2d, PT48H", "pt2s, PT2S",
            "' 45s ', PT45S" })
    void durationsThenParsedAsQuarkusUsersWriteThem(String text, String expected) {
        assertEquals(Duration.parse(expected), Durations.parse(text));
    }

    @Test
    void durationKeysThenAcceptEveryForm() {
        ConnectionDefinition d = ConnectionDefinitions.fromProperties(orders("connect-timeout", "500ms",
                "read-timeout", "30s", "circuit-open-duration", "PT1M", "min-fetch-interval", "5")).get("orders");

        assertEquals(Duration.ofMillis(500), d.timeouts().connect());
        assertEquals(Duration.ofSeconds(30), d.timeouts().read());
        assertEquals(Duration.ofMinutes(1), d.resilience().circuitOpenDuration());
        assertEquals(Duration.ofSeconds(5), d.timing().minFetchInterval());
    }
}
