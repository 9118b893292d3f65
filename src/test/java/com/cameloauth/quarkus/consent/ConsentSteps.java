package com.cameloauth.quarkus.consent;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.util.Map;

import com.nimbusds.oauth2.sdk.util.URLUtils;

import io.restassured.response.Response;

/** The consent flow as a script drives it: start as an oauth-admin, sign in at the demo, bring the callback back. */
final class ConsentSteps {
    static final String CONNECTION = "my-orders";

    /** A consent started with GET /oauth/consent/my-orders: where the browser goes, and its binding cookie. */
    record Started(URI authorizationRequest, String state, String cookieName, String cookieValue) {
        String param(String name) {
            return URLUtils.parseParameters(authorizationRequest.getRawQuery()).get(name).get(0);
        }
    }

    private ConsentSteps() {
    }

    static Started start() {
        Response r = given().auth().preemptive().basic("admin", "admin-demo").redirects().follow(false)
                .get("/oauth/consent/" + CONNECTION);
        assertEquals(302, r.statusCode(), r.asString());
        URI location = URI.create(r.header("Location"));
        String state = URLUtils.parseParameters(location.getRawQuery()).get("state").get(0);
        Map.Entry<String, String> cookie = r.cookies().entrySet().stream()
                .filter(e -> e.getKey().startsWith("oauth-consent-")).findFirst().orElse(null);
        assertNotNull(cookie, "a binding cookie: " + r.headers());
        return new Started(location, state, cookie.getKey(), cookie.getValue());
    }

    /** Signs in at the demo's authorization page and approves: the callback URL the demo redirects to. */
    static URI approve(Started started, String user, String password) {
        Response r = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("response_type", "code").formParam("client_id", started.param("client_id"))
                .formParam("redirect_uri", started.param("redirect_uri")).formParam("scope", started.param("scope"))
                .formParam("state", started.state()).formParam("code_challenge", started.param("code_challenge"))
                .formParam("code_challenge_method", "S256").formParam("username", user).formParam("password", password)
                .formParam("decision", "approve").post("/demo/oauth/authorize");
        assertEquals(303, r.statusCode(), r.asString());
        return URI.create(r.header("Location"));
    }

    /** Path and query of a callback URL, for REST Assured (which prefixes its own host and port). */
    static String pathAndQuery(URI callback) {
        return callback.getRawPath() + "?" + callback.getRawQuery();
    }

    static long codeRequests() {
        return given().get("/demo/stats").then().statusCode(200).extract().jsonPath().getLong("authorizationCodeRequests");
    }

    static String state() {
        return given().auth().preemptive().basic("admin", "admin-demo").get("/oauth/api/connections/" + CONNECTION)
                .then().statusCode(200).extract().jsonPath().getString("state");
    }
}
