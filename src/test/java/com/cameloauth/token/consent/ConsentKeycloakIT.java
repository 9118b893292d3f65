package com.cameloauth.token.consent;

import static com.cameloauth.testsupport.keycloak.KeycloakServer.USER_PASSWORD;
import static com.cameloauth.testsupport.keycloak.KeycloakServer.USER_USERNAME;
import static com.cameloauth.testsupport.keycloak.KeycloakServer.WEB_APP_CLIENT_ID;
import static com.cameloauth.testsupport.keycloak.KeycloakServer.WEB_APP_CONFIDENTIAL_CLIENT_ID;
import static com.cameloauth.testsupport.keycloak.KeycloakServer.WEB_APP_CONFIDENTIAL_CLIENT_SECRET;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.cameloauth.connection.ClientAuthMethod;
import com.cameloauth.connection.Secret;
import com.cameloauth.testsupport.browser.CallbackReceiver;
import com.cameloauth.testsupport.browser.HeadlessChromium;
import com.cameloauth.testsupport.browser.KeycloakLoginPage;
import com.cameloauth.testsupport.keycloak.KeycloakExtension;
import com.cameloauth.testsupport.keycloak.KeycloakServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.oauth2.sdk.util.URLUtils;

/**
 * The consent core against a real Keycloak, with a real user in a real headless Chromium: begin a consent, log in as
 * alice on Keycloak's own page, take the callback on a loopback redirect URI, check it, redeem the code. Keycloak
 * counts the codes redeemed ({@code CODE_TO_TOKEN} events), so a refused callback can be shown to redeem nothing.
 */
@ExtendWith(KeycloakExtension.class)
class ConsentKeycloakIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration BROWSER_TIMEOUT = Duration.ofSeconds(60);

    private final KeycloakServer keycloak;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final PendingAuthorizations pending = new PendingAuthorizations(Clock.systemUTC());
    private final AuthorizationCodeRedeemer redeemer = new AuthorizationCodeRedeemer(Clock.systemUTC());
    private CallbackReceiver callbacks;

    ConsentKeycloakIT(KeycloakServer keycloak) {
        this.keycloak = keycloak;
    }

    @BeforeAll
    static void recordKeycloakEvents(KeycloakServer keycloak) {
        HttpResponse<String> response = admin(keycloak, HttpRequest.newBuilder(URI.create(keycloak.adminApiUrl()
                + "/events/config")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"eventsEnabled\":true}")));
        assertEquals(204, response.statusCode(), response.body());
    }

    @BeforeEach
    void startRedirectUri() {
        callbacks = CallbackReceiver.start();
    }

    @AfterEach
    void stopRedirectUri() {
        callbacks.close();
    }

    @Test
    void publicClientConsentInChromiumGivesTokensThatKeycloakAccepts() throws Exception {
        ConsentClient client = ConsentClient.publicClient("keycloak-web-app", URI.create(keycloak.authorizationUrl()),
                URI.create(keycloak.tokenUrl()), WEB_APP_CLIENT_ID, callbacks.redirectUri(), List.of("openid", "profile"),
                Optional.of(keycloak.issuer()));

        URI callback = consentInChromium(pending.begin(client));
        assertEquals(List.of(keycloak.issuer()), URLUtils.parseParameters(callback.getRawQuery()).get("iss"),
                "Keycloak names itself on the callback (RFC 9207)");
        ConsentTokens tokens = redeemer.redeem(pending.complete(callback));

        assertTrue(tokens.refreshToken().isPresent(), "an authorization code grant gives a refresh token");
        JsonNode claims = claims(tokens.accessToken().value());
        assertEquals(WEB_APP_CLIENT_ID, claims.path("azp").asText());
        assertEquals(keycloak.issuer(), claims.path("iss").asText());
        assertEquals(USER_USERNAME, userinfo(tokens).path("preferred_username").asText());
    }

    @Test
    void confidentialClientConsentInChromiumGivesTokensThatKeycloakAccepts() throws Exception {
        ConsentClient client = new ConsentClient("keycloak-web-app-confidential",
                URI.create(keycloak.authorizationUrl()), URI.create(keycloak.tokenUrl()), WEB_APP_CONFIDENTIAL_CLIENT_ID,
                Optional.of(Secret.of(WEB_APP_CONFIDENTIAL_CLIENT_SECRET)), ClientAuthMethod.CLIENT_SECRET_BASIC,
                callbacks.redirectUri(), List.of("openid"), Optional.of(keycloak.issuer()));

        ConsentTokens tokens = redeemer.redeem(pending.complete(consentInChromium(pending.begin(client))));

        assertTrue(tokens.refreshToken().isPresent(), "web-app-confidential uses refresh tokens");
        assertEquals(WEB_APP_CONFIDENTIAL_CLIENT_ID, claims(tokens.accessToken().value()).path("azp").asText());
        assertEquals(USER_USERNAME, userinfo(tokens).path("preferred_username").asText());
    }

    @Test
    void callbackWithATamperedStateIsRefusedAndKeycloakRedeemsNothing() throws Exception {
        ConsentClient client = ConsentClient.publicClient("keycloak-web-app", URI.create(keycloak.authorizationUrl()),
                URI.create(keycloak.tokenUrl()), WEB_APP_CLIENT_ID, callbacks.redirectUri(), List.of("openid"),
                Optional.of(keycloak.issuer()));
        URI callback = consentInChromium(pending.begin(client));
        int redeemedBefore = codesRedeemed();

        URI tampered = withState(callback, tamper(state(callback)));
        var e = assertThrows(InvalidStateException.class, () -> redeemer.redeem(pending.complete(tampered)));
        assertEquals(InvalidStateException.Reason.UNKNOWN, e.reason());

        // the untouched callback still works: the code was not spent by the refused one
        ConsentTokens tokens = redeemer.redeem(pending.complete(callback));
        assertEquals(USER_USERNAME, userinfo(tokens).path("preferred_username").asText());
        await().atMost(Duration.ofSeconds(10)).until(() -> codesRedeemed() > redeemedBefore);
        assertEquals(redeemedBefore + 1, codesRedeemed(), "Keycloak redeemed one code: the untouched callback's");
    }

    /** Logs alice in on Keycloak's page in a fresh browser and returns the callback the browser brought. */
    private URI consentInChromium(URI authorizationRequest) {
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            KeycloakLoginPage.logIn(chromium.driver(), authorizationRequest, USER_USERNAME, USER_PASSWORD);
            try {
                return callbacks.awaitCallback(BROWSER_TIMEOUT);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; the browser shows '" + chromium.driver().getTitle()
                        + "' at " + chromium.driver().getCurrentUrl(), e);
            }
        }
    }

    private JsonNode userinfo(ConsentTokens tokens) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(keycloak.issuer()
                + "/protocol/openid-connect/userinfo")).header("Authorization", "Bearer " + tokens.accessToken().value())
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), "userinfo accepts the access token");
        return JSON.readTree(response.body());
    }

    private int codesRedeemed() throws IOException {
        HttpResponse<String> response = admin(keycloak, HttpRequest.newBuilder(URI.create(keycloak.adminApiUrl()
                + "/events?client=" + WEB_APP_CLIENT_ID + "&type=CODE_TO_TOKEN&max=10000")).GET());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).size();
    }

    private static HttpResponse<String> admin(KeycloakServer keycloak, HttpRequest.Builder request) {
        try {
            return HttpClient.newHttpClient().send(request.header("Authorization", "Bearer " + keycloak.adminToken())
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String state(URI callback) {
        return URLUtils.parseParameters(callback.getRawQuery()).get("state").get(0);
    }

    /** The same state with its last character changed. */
    private static String tamper(String state) {
        char last = state.charAt(state.length() - 1);
        String tampered = state.substring(0, state.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertNotEquals(state, tampered);
        return tampered;
    }

    private static URI withState(URI callback, String state) {
        Map<String, List<String>> params = URLUtils.parseParameters(callback.getRawQuery());
        params.put("state", List.of(state));
        String base = callback.toString().substring(0, callback.toString().indexOf('?'));
        return URI.create(base + "?" + URLUtils.serializeParameters(params));
    }

    private static JsonNode claims(String jwt) throws IOException {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }
}
