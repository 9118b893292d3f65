package com.cameloauth.quarkus.manage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.Token;

/** The management API over HTTP: authentication, roles, same-origin and CSRF checks, answers without secrets. */
@QuarkusTest
@TestProfile(ManageProfile.class)
class ManagementApiTest {
    static final String API = "/oauth/api/connections";
    /** REST Assured addresses the app as localhost: the page's own origin. */
    static final String ORIGIN = "http://localhost:" + ManageProfile.PORT;

    @Inject
    OAuthConnections connections;

    private final List<String> bodies = new ArrayList<>();
    private final Set<String> tokensSeen = new LinkedHashSet<>();

    @AfterEach
    void noSecretOrTokenInAnyAnswer() {
        for (String name : connections.names()) {
            connections.tokenManager(name).flatMap(m -> m.cachedToken()).map(Token::value).ifPresent(tokensSeen::add);
        }
        for (String body : bodies) {
            for (String secret : List.of("demo-orders-secret", "demo-shipping-secret", ManageProfile.BROKEN_SECRET)) {
                assertFalse(body.contains(secret), () -> "a client secret in an answer: " + body);
            }
            for (String token : tokensSeen) {
                assertFalse(body.contains(token), () -> "an access token in an answer: " + body);
            }
        }
    }

    @Test
    void everyEndpointWantsCredentials() {
        for (String path : List.of(API, API + "/orders-api", API + "/orders-api/events", API + "/orders-api/timeline.svg")) {
            given().redirects().follow(false).get(path).then().statusCode(401);
        }
        String csrf = csrfToken();
        for (String action : List.of("test", "refresh", "revoke")) {
            given().redirects().follow(false).header("Origin", ORIGIN).cookie(ManagementGuard.CSRF_COOKIE, csrf)
                    .header(ManagementGuard.CSRF_HEADER, csrf).post(API + "/spare-api/" + action).then().statusCode(401);
        }
    }

    @Test
    void aUserWithoutTheRoleIsForbidden() {
        given().auth().preemptive().basic("viewer", "viewer-demo").get(API).then().statusCode(403);
        given().auth().preemptive().basic("viewer", "viewer-demo").get(API + "/orders-api/events").then().statusCode(403);
        String csrf = csrfToken();
        given().auth().preemptive().basic("viewer", "viewer-demo").header("Origin", ORIGIN)
                .cookie(ManagementGuard.CSRF_COOKIE, csrf).header(ManagementGuard.CSRF_HEADER, csrf)
                .post(API + "/spare-api/revoke").then().statusCode(403);
    }

    @Test
    void wrongPasswordIsUnauthorized() {
        given().auth().preemptive().basic("admin", "not-the-password").get(API).then().statusCode(401);
    }

    @Test
    void listsEveryConnectionWithoutSecrets() {
        Response r = admin().get(API);
        r.then().statusCode(200)
                .body("name", hasItems("orders-api", "shipping-api", "spare-api", "broken-api"))
                .body("find { it.name == 'shipping-api' }.policy", equalTo("client-credentials"))
                .body("find { it.name == 'shipping-api' }.baseUrl", equalTo("http://127.0.0.1:" + ManageProfile.PORT + "/demo/api"))
                .body("find { it.name == 'shipping-api' }.tokenEndpointHost", equalTo("127.0.0.1:" + ManageProfile.PORT))
                .body("find { it.name == 'shipping-api' }.scopes", contains("shipments:write", "shipments:read"))
                .body("find { it.name == 'shipping-api' }.consentUrl", nullValue())
                .body("find { it.name == 'my-orders' }.consentUrl", equalTo("/oauth/consent/my-orders"))
                .body("find { it.name == 'shipping-api' }.counts.tokenRequestsOk", notNullValue());
        keep(r);
    }

    @Test
    void unknownConnectionIs404NamingIt() {
        for (Response r : List.of(admin().get(API + "/no-such-api"), admin().get(API + "/no-such-api/events"),
                adminPost().post(API + "/no-such-api/test"))) {
            r.then().statusCode(404).body("error", equalTo("unknown_connection")).body("connection", equalTo("no-such-api"))
                    .body("message", containsString("'no-such-api'"));
            keep(r);
        }
    }

    @Test
    void testReportsANewTokenByFingerprint() {
        Response r = adminPost().post(API + "/spare-api/test");
        r.then().statusCode(200).body("result", equalTo("OK")).body("state", equalTo("ACTIVE"))
                .body("fingerprint", notNullValue()).body("scopes", contains("orders:read"));
        keep(r);
        String fingerprint = r.path("fingerprint");
        Response view = admin().get(API + "/spare-api");
        view.then().statusCode(200).body("state", equalTo("ACTIVE")).body("tokenFingerprint", equalTo(fingerprint))
                .body("tokenExpiresAt", notNullValue()).body("lastRefresh", notNullValue()).body("lastError", nullValue());
        keep(view);
    }

    @Test
    void revokeWithoutARevocationEndpointDropsTheTokenAndSaysSo() {
        keep(adminPost().post(API + "/spare-api/refresh")).then().statusCode(200).body("result", equalTo("OK"));
        Response revoke = keep(adminPost().post(API + "/spare-api/revoke"));
        revoke.then().statusCode(200).body("result", equalTo("REVOKED_LOCALLY")).body("serverSideRevocation", equalTo(false))
                .body("state", equalTo("EXPIRED")).body("detail", containsString("no revocation endpoint"));
        keep(admin().get(API + "/spare-api")).then().body("state", equalTo("EXPIRED")).body("tokenFingerprint", nullValue());
        keep(adminPost().post(API + "/spare-api/refresh")).then().statusCode(200).body("state", equalTo("ACTIVE"));
    }

    @Test
    void eventsComeNewestFirst() {
        keep(adminPost().post(API + "/spare-api/refresh"));
        keep(adminPost().post(API + "/spare-api/refresh"));
        Response r = keep(admin().get(API + "/spare-api/events"));
        r.then().statusCode(200).body("[0].type", equalTo("REFRESHED")).body("[0].fingerprint", notNullValue());
        List<String> times = r.path("at");
        List<String> sorted = new ArrayList<>(times);
        sorted.sort(java.util.Comparator.reverseOrder());
        assertTrue(times.equals(sorted), () -> "not newest first: " + times);
        keep(admin().get(API + "/spare-api/timeline.svg")).then().statusCode(200).contentType(containsString("image/svg+xml"))
                .body(containsString("REFRESHED at"));
    }

    @Test
    void aFailingConnectionShowsItsErrorCode() {
        Response test = keep(adminPost().post(API + "/broken-api/test"));
        test.then().statusCode(200).body("result", equalTo("FAILED")).body("state", equalTo("FAILED"))
                .body("errorCode", equalTo("invalid_client")).body("httpStatus", equalTo(401));
        keep(admin().get(API + "/broken-api")).then().body("state", equalTo("FAILED"))
                .body("lastError.code", equalTo("invalid_client")).body("lastError.httpStatus", equalTo(401))
                .body("lastError.message", notNullValue()).body("counts.tokenRequestsFailed", org.hamcrest.Matchers.greaterThan(0));
    }

    @Test
    void aCrossSitePostIsRejected() {
        String csrf = csrfToken();
        given().auth().preemptive().basic("admin", "admin-demo").header("Origin", "https://evil.example")
                .cookie(ManagementGuard.CSRF_COOKIE, csrf).header(ManagementGuard.CSRF_HEADER, csrf)
                .post(API + "/spare-api/revoke").then().statusCode(403).body("error", equalTo("cross_site_request"));
        given().auth().preemptive().basic("admin", "admin-demo").header("Referer", "https://evil.example/page")
                .cookie(ManagementGuard.CSRF_COOKIE, csrf).header(ManagementGuard.CSRF_HEADER, csrf)
                .post(API + "/spare-api/revoke").then().statusCode(403).body("error", equalTo("cross_site_request"));
        // same host, other port: another origin
        given().auth().preemptive().basic("admin", "admin-demo").header("Origin", "http://localhost:" + (ManageProfile.PORT + 1))
                .cookie(ManagementGuard.CSRF_COOKIE, csrf).header(ManagementGuard.CSRF_HEADER, csrf)
                .post(API + "/spare-api/revoke").then().statusCode(403);
        given().auth().preemptive().basic("admin", "admin-demo").cookie(ManagementGuard.CSRF_COOKIE, csrf)
                .header(ManagementGuard.CSRF_HEADER, csrf).post(API + "/spare-api/revoke").then().statusCode(403);
    }

    @Test
    void aPostWithoutTheCsrfTokenIsRejected() {
        String csrf = csrfToken();
        given().auth().preemptive().basic("admin", "admin-demo").header("Origin", ORIGIN)
                .post(API + "/spare-api/revoke").then().statusCode(403).body("error", equalTo("csrf_token_missing_or_wrong"));
        given().auth().preemptive().basic("admin", "admin-demo").header("Origin", ORIGIN)
                .cookie(ManagementGuard.CSRF_COOKIE, csrf).post(API + "/spare-api/revoke").then().statusCode(403);
        given().auth().preemptive().basic("admin", "admin-demo").header("Origin", ORIGIN)
                .cookie(ManagementGuard.CSRF_COOKIE, csrf).header(ManagementGuard.CSRF_HEADER, csrf + "x")
                .post(API + "/spare-api/revoke").then().statusCode(403);
    }

    @Test
    void stateChangesNeedPost() {
        admin().get(API + "/spare-api/revoke").then().statusCode(405);
    }

    private RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "admin-demo");
    }

    /** An admin with the page's same-origin header and CSRF cookie/header pair. */
    private RequestSpecification adminPost() {
        String csrf = csrfToken();
        return admin().header("Origin", ORIGIN).cookie(ManagementGuard.CSRF_COOKIE, csrf).header(ManagementGuard.CSRF_HEADER, csrf);
    }

    /** The CSRF cookie the first GET sets. */
    static String csrfToken() {
        String token = given().auth().preemptive().basic("admin", "admin-demo").get(API).then().statusCode(200)
                .extract().cookie(ManagementGuard.CSRF_COOKIE);
        assertTrue(token != null && token.length() >= 32, "a GET sets the CSRF cookie");
        return token;
    }

    private Response keep(Response r) {
        bodies.add(r.asString());
        return r;
    }
}
