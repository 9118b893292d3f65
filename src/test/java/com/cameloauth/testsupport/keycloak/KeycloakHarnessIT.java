package com.cameloauth.testsupport.keycloak;

import static com.cameloauth.testsupport.keycloak.KeycloakServer.EXCHANGE_CLIENT_ID;
import static com.cameloauth.testsupport.keycloak.KeycloakServer.EXCHANGE_CLIENT_SECRET;
import static com.cameloauth.testsupport.keycloak.KeycloakServer.NO_ROLE_CLIENT_ID;
import static com.cameloauth.testsupport.keycloak.KeycloakServer.NO_ROLE_CLIENT_SECRET;
import static com.cameloauth.testsupport.keycloak.KeycloakServer.ORDERS_CLIENT_ID;
import static com.cameloauth.testsupport.keycloak.KeycloakServer.ORDERS_CLIENT_SECRET;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The realm and the harness do what later tests rely on. Plain java.net.http, no project code. */
@ExtendWith(KeycloakExtension.class)
class KeycloakHarnessIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final KeycloakServer keycloak;

    KeycloakHarnessIT(KeycloakServer keycloak) {
        this.keycloak = keycloak;
    }

    @Test
    void discoveryNamesTheLoopbackIssuerAndEndpoints() throws Exception {
        HttpResponse<String> response = get(keycloak.discoveryUrl(), null);
        assertEquals(200, response.statusCode());
        JsonNode discovery = JSON.readTree(response.body());
        assertEquals(keycloak.issuer(), discovery.path("issuer").asText());
        assertEquals(keycloak.tokenUrl(), discovery.path("token_endpoint").asText());
        assertEquals(keycloak.authorizationUrl(), discovery.path("authorization_endpoint").asText());
        assertEquals(keycloak.introspectionUrl(), discovery.path("introspection_endpoint").asText());
        assertEquals(keycloak.revocationUrl(), discovery.path("revocation_endpoint").asText());
        assertTrue(keycloak.issuer().startsWith("http://127.0.0.1:"), keycloak.issuer());
    }

    @Test
    void ordersServiceGetsAClientCredentialsToken() throws Exception {
        HttpResponse<String> response = token(ORDERS_CLIENT_ID, ORDERS_CLIENT_SECRET);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("Bearer", body.path("token_type").asText());
        assertFalse(body.has("refresh_token"), "client credentials gives no refresh token");

        JsonNode claims = claims(body.path("access_token").asText());
        assertEquals(300, claims.path("exp").asLong() - claims.path("iat").asLong());
        // expires_in is exp minus Keycloak's clock when it answers: 299 when the request straddles a second
        int expiresIn = body.path("expires_in").asInt();
        assertTrue(expiresIn >= 298 && expiresIn <= 300, "expires_in " + expiresIn);
        assertEquals(keycloak.issuer(), claims.path("iss").asText());
        assertEquals(ORDERS_CLIENT_ID, claims.path("azp").asText());
        assertTrue(audience(claims).contains("\"" + ORDERS_CLIENT_ID + "\""), claims.toString());
        assertTrue(audience(claims).contains("\"" + EXCHANGE_CLIENT_ID + "\""), claims.toString());
    }

    @Test
    void ordersServiceTokenIsActiveOnIntrospection() throws Exception {
        String accessToken = keycloak.clientCredentialsToken(ORDERS_CLIENT_ID, ORDERS_CLIENT_SECRET);
        HttpResponse<String> response = post(keycloak.introspectionUrl(), form(
                "token", accessToken, "client_id", ORDERS_CLIENT_ID, "client_secret", ORDERS_CLIENT_SECRET));
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(JSON.readTree(response.body()).path("active").asBoolean(), response.body());
    }

    @Test
    void ordersServiceMayReadUsersAndNoRoleServiceMayNot() {
        String orders = keycloak.clientCredentialsToken(ORDERS_CLIENT_ID, ORDERS_CLIENT_SECRET);
        HttpResponse<String> users = get(keycloak.adminApiUrl() + "/users", orders);
        assertEquals(200, users.statusCode(), users.body());
        assertTrue(users.body().contains("\"alice\""), users.body());

        String noRole = keycloak.clientCredentialsToken(NO_ROLE_CLIENT_ID, NO_ROLE_CLIENT_SECRET);
        assertEquals(403, get(keycloak.adminApiUrl() + "/users", noRole).statusCode());
    }

    @Test
    void wrongSecretIsUnauthorizedClientAndUnknownClientIsInvalidClient() throws Exception {
        HttpResponse<String> wrongSecret = token(ORDERS_CLIENT_ID, "not-the-secret");
        assertEquals(401, wrongSecret.statusCode());
        assertEquals("unauthorized_client", JSON.readTree(wrongSecret.body()).path("error").asText());

        HttpResponse<String> unknown = token("no-such-client", "whatever");
        assertEquals(401, unknown.statusCode());
        assertEquals("invalid_client", JSON.readTree(unknown.body()).path("error").asText());
    }

    @Test
    void logoutAllInvalidatesServiceAccountTokensIssuedInAnEarlierSecond() {
        String old = keycloak.clientCredentialsToken(ORDERS_CLIENT_ID, ORDERS_CLIENT_SECRET);
        long issued = System.currentTimeMillis() / 1000;
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(10))
                .until(() -> System.currentTimeMillis() / 1000 > issued);

        keycloak.logoutAll();

        HttpResponse<String> rejected = get(keycloak.adminApiUrl() + "/users", old);
        assertEquals(401, rejected.statusCode(), rejected.body());
        assertTrue(rejected.headers().firstValue("WWW-Authenticate").isEmpty(),
                "Keycloak's admin API sends no WWW-Authenticate: " + rejected.headers().map());
        String fresh = keycloak.clientCredentialsToken(ORDERS_CLIENT_ID, ORDERS_CLIENT_SECRET);
        assertEquals(200, get(keycloak.adminApiUrl() + "/users", fresh).statusCode());
    }

    @Test
    void invalidateTokensRejectsEarlierTokensAndAcceptsLaterOnes() throws Exception {
        String orders = keycloak.clientCredentialsToken(ORDERS_CLIENT_ID, ORDERS_CLIENT_SECRET);
        String noRole = keycloak.clientCredentialsToken(NO_ROLE_CLIENT_ID, NO_ROLE_CLIENT_SECRET);

        long notBefore = keycloak.invalidateTokens();

        assertTrue(claims(orders).path("iat").asLong() < notBefore);
        assertEquals(401, get(keycloak.adminApiUrl() + "/users", orders).statusCode());
        assertEquals(401, get(keycloak.adminApiUrl() + "/users", noRole).statusCode());
        // at once, in the same second as the invalidation
        String fresh = keycloak.clientCredentialsToken(ORDERS_CLIENT_ID, ORDERS_CLIENT_SECRET);
        assertEquals(200, get(keycloak.adminApiUrl() + "/users", fresh).statusCode());
    }

    @Test
    void invalidateTokensOfOneClientLeavesOtherClientsAlone() {
        String orders = keycloak.clientCredentialsToken(ORDERS_CLIENT_ID, ORDERS_CLIENT_SECRET);
        String noRole = keycloak.clientCredentialsToken(NO_ROLE_CLIENT_ID, NO_ROLE_CLIENT_SECRET);

        keycloak.invalidateTokens(ORDERS_CLIENT_ID);

        assertEquals(401, get(keycloak.adminApiUrl() + "/users", orders).statusCode());
        assertEquals(403, get(keycloak.adminApiUrl() + "/users", noRole).statusCode(), "still valid, no role");
        String fresh = keycloak.clientCredentialsToken(ORDERS_CLIENT_ID, ORDERS_CLIENT_SECRET);
        assertEquals(200, get(keycloak.adminApiUrl() + "/users", fresh).statusCode());
    }

    @Test
    void exchangeServiceExchangesAnOrdersServiceToken() throws Exception {
        String subject = keycloak.clientCredentialsToken(ORDERS_CLIENT_ID, ORDERS_CLIENT_SECRET);
        HttpResponse<String> response = post(keycloak.tokenUrl(), form(
                "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
                "client_id", EXCHANGE_CLIENT_ID, "client_secret", EXCHANGE_CLIENT_SECRET,
                "subject_token", subject,
                "subject_token_type", "urn:ietf:params:oauth:token-type:access_token"));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode claims = claims(JSON.readTree(response.body()).path("access_token").asText());
        assertEquals(EXCHANGE_CLIENT_ID, claims.path("azp").asText());
    }

    @Test
    void webAppRequiresPkceS256AndAcceptsAnyLoopbackPort() {
        String redirect = "http://127.0.0.1:43210/oauth/callback";
        String withoutPkce = keycloak.authorizationUrl() + "?response_type=code&scope=openid&state=s1"
                + "&client_id=" + KeycloakServer.WEB_APP_CLIENT_ID + "&redirect_uri=" + encode(redirect);
        HttpResponse<String> refused = get(withoutPkce, null);
        assertEquals(302, refused.statusCode());
        String location = refused.headers().firstValue("Location").orElse("");
        assertTrue(location.startsWith(redirect + "?error=invalid_request"), location);

        String withPkce = withoutPkce + "&code_challenge_method=S256"
                + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        HttpResponse<String> loginPage = get(withPkce, null);
        assertEquals(200, loginPage.statusCode());
        assertTrue(loginPage.body().contains("kc-login"), "the login form");

        String confidential = keycloak.authorizationUrl() + "?response_type=code&scope=openid&state=s2"
                + "&client_id=" + KeycloakServer.WEB_APP_CONFIDENTIAL_CLIENT_ID
                + "&redirect_uri=" + encode("http://127.0.0.1:54321/oauth/callback");
        assertEquals(200, get(confidential, null).statusCode());
    }

    // ---- plain HTTP ----

    private HttpResponse<String> token(String clientId, String clientSecret) {
        return post(keycloak.tokenUrl(), form(
                "grant_type", "client_credentials", "client_id", clientId, "client_secret", clientSecret));
    }

    private HttpResponse<String> get(String url, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return send(request);
    }

    private HttpResponse<String> post(String url, String form) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String form(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static JsonNode claims(String jwt) throws IOException {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private static String audience(JsonNode claims) {
        return claims.path("aud").toString();
    }
}
