package com.cameloauth.quarkus.consent;

import static com.cameloauth.quarkus.consent.ConsentSteps.codeRequests;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.nimbusds.oauth2.sdk.util.URLUtils;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * GET /oauth/consent/{connection} and the callback, as a browser or a script meets them: who may start a consent,
 * where it sends the browser, and every callback fault of SECURITY.md answered with a 400 page and no token request
 * (counted at the demo's token endpoint). The state, in the app, is whatever earlier tests left: a refused callback
 * must not change it.
 */
@QuarkusTest
class ConsentEndpointsTest {

    @ConfigProperty(name = "demo.url")
    String demoUrl;

    @ConfigProperty(name = "demo.redirect-uri")
    String redirectUri;

    @Test
    void startingAConsentNeedsAnOauthAdmin() {
        given().redirects().follow(false).get("/oauth/consent/my-orders").then()
                .statusCode(302).header("Location", containsString("/oauth/ui/login.html"));
        given().auth().preemptive().basic("viewer", "viewer-demo").redirects().follow(false)
                .get("/oauth/consent/my-orders").then().statusCode(403);
        given().auth().preemptive().basic("admin", "wrong").redirects().follow(false)
                .get("/oauth/consent/my-orders").then().statusCode(401);
    }

    @Test
    void startRedirectsToTheDemoAuthorizationPageWithPkceAndAFreshState() {
        Response r = given().auth().preemptive().basic("admin", "admin-demo").redirects().follow(false)
                .get("/oauth/consent/my-orders");
        r.then().statusCode(302).header("Location", startsWith(demoUrl + "/oauth/authorize?"))
                .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer");
        var params = URLUtils.parseParameters(URI.create(r.header("Location")).getRawQuery());
        assertEquals(List.of("code"), params.get("response_type"));
        assertEquals(List.of("S256"), params.get("code_challenge_method"));
        assertEquals(List.of("my-orders-client"), params.get("client_id"));
        assertEquals(List.of(redirectUri), params.get("redirect_uri"));
        assertEquals(List.of("orders:read"), params.get("scope"));
        assertTrue(params.get("state").get(0).length() >= 43, "256-bit state");
        assertTrue(params.get("code_challenge").get(0).matches("[A-Za-z0-9_-]{43}"));
        String setCookie = r.header("Set-Cookie");
        assertTrue(setCookie.startsWith("oauth-consent-") && setCookie.contains("HttpOnly")
                && setCookie.contains("SameSite=Lax") && setCookie.contains("Path=/oauth/callback"), setCookie);

        Response again = given().auth().preemptive().basic("admin", "admin-demo").redirects().follow(false)
                .get("/oauth/consent/my-orders");
        assertFalse(again.header("Location").contains(params.get("state").get(0)), "a fresh state per consent");
    }

    @Test
    void unknownConnectionIs404AndAConnectionWithoutConsentIs409() {
        given().auth().preemptive().basic("admin", "admin-demo").get("/oauth/consent/no-such-api").then()
                .statusCode(404).contentType(containsString("text/html"))
                .body(containsString("Unknown OAuth connection &#39;no-such-api&#39;"));
        given().auth().preemptive().basic("admin", "admin-demo").get("/oauth/consent/orders-api").then()
                .statusCode(409).body(containsString("takes no consent"));
    }

    @Test
    void unknownStateIs400WithoutATokenRequest() {
        long before = codeRequests();
        String page = callback("code=some-code-123&state=never-issued-state-value&iss=" + enc(demoUrl))
                .then().statusCode(400).header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer")
                .body(containsString("unknown or was already used")).extract().asString();
        assertFalse(page.contains("some-code-123") || page.contains("never-issued-state-value"), page);
        assertEquals(before, codeRequests());
    }

    @Test
    void reusedStateIs400WithoutATokenRequest() {
        ConsentSteps.Started started = ConsentSteps.start();
        String stateBefore = ConsentSteps.state();
        long before = codeRequests();
        // the first callback of this state (a refusal) uses it up
        callback(started, "error=access_denied&state=" + started.state() + "&iss=" + enc(demoUrl)).then().statusCode(400);
        callback(started, "code=replayed-code-456&state=" + started.state() + "&iss=" + enc(demoUrl)).then()
                .statusCode(400).body(containsString("unknown or was already used"))
                .body(not(containsString("replayed-code-456")));
        assertEquals(before, codeRequests());
        assertEquals(stateBefore, ConsentSteps.state());
    }

    @Test
    void issuerMismatchIs400WithoutATokenRequest() {
        ConsentSteps.Started started = ConsentSteps.start();
        long before = codeRequests();
        URI callback = ConsentSteps.approve(started, "ada", "ada-demo");
        String code = URLUtils.parseParameters(callback.getRawQuery()).get("code").get(0);
        String page = callback(started, "code=" + code + "&state=" + started.state() + "&iss="
                + enc("http://127.0.0.1:1/not-the-demo")).then().statusCode(400)
                .body(containsString("not from the configured issuer")).extract().asString();
        assertFalse(page.contains(code), page);
        assertEquals(before, codeRequests());
    }

    @Test
    void accessDeniedIs400WithTheEscapedMessageAndTheStateUnchanged() {
        ConsentSteps.Started started = ConsentSteps.start();
        String stateBefore = ConsentSteps.state();
        long before = codeRequests();
        String page = callback(started, "error=access_denied&error_description=" + enc("<script>alert(1)</script> no")
                + "&state=" + started.state() + "&iss=" + enc(demoUrl)).then().statusCode(400)
                .body(containsString("consent was denied")).extract().asString();
        assertFalse(page.contains("<script>"), page);
        assertEquals(before, codeRequests());
        assertEquals(stateBefore, ConsentSteps.state());
    }

    @Test
    void missingCodeIs400WithoutATokenRequest() {
        ConsentSteps.Started started = ConsentSteps.start();
        long before = codeRequests();
        callback(started, "state=" + started.state() + "&iss=" + enc(demoUrl)).then().statusCode(400)
                .body(containsString("neither a code nor an error"));
        assertEquals(before, codeRequests());
    }

    @Test
    void aConsentStartedInAnotherBrowserIs400WithoutATokenRequest() {
        ConsentSteps.Started started = ConsentSteps.start();
        long before = codeRequests();
        URI callback = ConsentSteps.approve(started, "ada", "ada-demo");
        // the attacker's browser: the authorization URL leaked, the code is theirs, the binding cookie is not
        callback("code=" + URLUtils.parseParameters(callback.getRawQuery()).get("code").get(0) + "&state="
                + started.state() + "&iss=" + enc(demoUrl)).then().statusCode(400)
                .body(containsString("started in another browser"));
        given().urlEncodingEnabled(false).cookie(started.cookieName(), "forged").redirects().follow(false)
                .get(ConsentSteps.pathAndQuery(callback)).then().statusCode(400)
                .body(containsString("started in another browser"));
        assertEquals(before, codeRequests());
    }

    @Test
    void theDemoAuthorizationPageRefusesAnUnregisteredRedirectUriWithoutRedirecting() {
        ConsentSteps.Started started = ConsentSteps.start();
        given().redirects().follow(false).queryParam("response_type", "code").queryParam("client_id", "my-orders-client")
                .queryParam("redirect_uri", "http://127.0.0.1:1/evil/callback").queryParam("state", started.state())
                .queryParam("code_challenge", started.param("code_challenge")).queryParam("code_challenge_method", "S256")
                .get("/demo/oauth/authorize").then().statusCode(400).header("Location", equalTo(null))
                .body(containsString("not the one registered"));
        // no PKCE: an error back to the client, not a sign-in form
        given().redirects().follow(false).queryParam("response_type", "code").queryParam("client_id", "my-orders-client")
                .queryParam("redirect_uri", redirectUri).queryParam("state", "s1").get("/demo/oauth/authorize").then()
                .statusCode(303).header("Location", startsWith(redirectUri + "?error=invalid_request"));
    }

    @Test
    void theDemoTokenEndpointChecksThePkceVerifier() {
        ConsentSteps.Started started = ConsentSteps.start();
        URI callback = ConsentSteps.approve(started, "grace", "grace-demo");
        String code = URLUtils.parseParameters(callback.getRawQuery()).get("code").get(0);
        given().auth().preemptive().basic("my-orders-client", "demo-my-orders-secret")
                .formParam("grant_type", "authorization_code").formParam("code", code)
                .formParam("redirect_uri", redirectUri)
                .formParam("code_verifier", "a-wrong-verifier-that-is-long-enough-0123456789abcdef")
                .post("/demo/oauth/token").then().statusCode(400).body("error", equalTo("invalid_grant"));
        // the refused code is used up: the real callback now fails at the token endpoint, not before
        callback(started, ConsentSteps.pathAndQuery(callback).substring(callback.getRawPath().length() + 1)).then()
                .statusCode(502).body(containsString("invalid_grant")).body(not(containsString(code)));
    }

    @Test
    void theDemoGivesAUserTokenForTheRightVerifierAndRotatesRefreshTokens() throws Exception {
        String verifier = "demo-verifier-0123456789-abcdefghijklmnopqrstuvwxyz";
        Response approved = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("response_type", "code").formParam("client_id", "my-orders-client")
                .formParam("redirect_uri", redirectUri).formParam("scope", "orders:read").formParam("state", "s-1")
                .formParam("code_challenge", s256(verifier))
                .formParam("code_challenge_method", "S256").formParam("username", "grace")
                .formParam("password", "grace-demo").formParam("decision", "approve").post("/demo/oauth/authorize");
        approved.then().statusCode(303).header("Location", containsString("&state=s-1&iss=" + enc(demoUrl)));
        String code = URLUtils.parseParameters(URI.create(approved.header("Location")).getRawQuery()).get("code").get(0);
        var tokens = given().auth().preemptive().basic("my-orders-client", "demo-my-orders-secret")
                .formParam("grant_type", "authorization_code").formParam("code", code).formParam("redirect_uri", redirectUri)
                .formParam("code_verifier", verifier).post("/demo/oauth/token").then().statusCode(200)
                .header("Cache-Control", "no-store").extract().jsonPath();
        given().auth().oauth2(tokens.getString("access_token")).get("/demo/api/me/orders").then().statusCode(200)
                .body("user", equalTo("grace"));

        String first = tokens.getString("refresh_token");
        String second = given().auth().preemptive().basic("my-orders-client", "demo-my-orders-secret")
                .formParam("grant_type", "refresh_token").formParam("refresh_token", first).post("/demo/oauth/token")
                .then().statusCode(200).extract().jsonPath().getString("refresh_token");
        assertFalse(second.equals(first), "rotated");
        given().auth().preemptive().basic("my-orders-client", "demo-my-orders-secret")
                .formParam("grant_type", "refresh_token").formParam("refresh_token", first).post("/demo/oauth/token")
                .then().statusCode(400).body("error", equalTo("invalid_grant"));
        // the code works once
        given().auth().preemptive().basic("my-orders-client", "demo-my-orders-secret")
                .formParam("grant_type", "authorization_code").formParam("code", code).formParam("redirect_uri", redirectUri)
                .formParam("code_verifier", verifier).post("/demo/oauth/token").then().statusCode(400)
                .body("error", equalTo("invalid_grant"));
        // a client's own token acts for nobody
        String clientToken = given().auth().preemptive().basic("orders-client", "demo-orders-secret")
                .formParam("grant_type", "client_credentials").post("/demo/oauth/token").then().statusCode(200)
                .extract().jsonPath().getString("access_token");
        given().auth().oauth2(clientToken).get("/demo/api/me/orders").then().statusCode(403);
    }

    private Response callback(String query) {
        return given().urlEncodingEnabled(false).redirects().follow(false).get("/oauth/callback?" + query);
    }

    private Response callback(ConsentSteps.Started started, String query) {
        return given().urlEncodingEnabled(false).cookie(started.cookieName(), started.cookieValue()).redirects()
                .follow(false).get("/oauth/callback?" + query);
    }

    private static String s256(String verifier) throws java.security.NoSuchAlgorithmException {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(java.security.MessageDigest
                .getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
