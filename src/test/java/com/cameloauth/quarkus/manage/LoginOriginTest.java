package com.cameloauth.quarkus.manage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Login CSRF: the form login's POST signs the browser in, so a page of another site must not be able to post it (it
 * would sign the victim in as the attacker). Only a POST whose Origin, or without one Referer, is this app gets a
 * session cookie.
 */
@QuarkusTest
@TestProfile(ManageProfile.class)
class LoginOriginTest {
    private static final String LOGIN = "/j_security_check";
    private static final String SESSION_COOKIE = "quarkus-credential";

    @Test
    void aLoginPostedFromAnotherSiteIsForbiddenAndSignsNobodyIn() {
        Response r = login().header("Origin", "http://evil.example").post(LOGIN);
        r.then().statusCode(403).body(containsString("cross_site_request"));
        assertNull(r.getCookie(SESSION_COOKIE), "no session for a cross-site login");
    }

    @Test
    void aLoginPostedFromAnotherPortOfThisHostIsForbidden() {
        login().header("Origin", "http://localhost:1").post(LOGIN).then().statusCode(403);
    }

    @Test
    void aLoginWithoutOriginOrRefererIsForbidden() {
        login().post(LOGIN).then().statusCode(403);
    }

    @Test
    void aLoginRefererFromAnotherSiteIsForbidden() {
        login().header("Referer", "http://evil.example/oauth/ui/login.html").post(LOGIN).then().statusCode(403);
    }

    @Test
    void theLoginPageOfThisAppSignsIn() {
        Response r = login().header("Origin", ManagementApiTest.ORIGIN).post(LOGIN);
        r.then().statusCode(302).header("Location", endsWith("/oauth/ui/"));
        assertNotNull(r.getCookie(SESSION_COOKIE), "signed in");
    }

    @Test
    void aRefererOfThisAppIsEnoughWhenTheBrowserSendsNoOrigin() {
        Response r = login().header("Referer", ManagementApiTest.ORIGIN + "/oauth/ui/login.html").post(LOGIN);
        r.then().statusCode(302);
        assertNotNull(r.getCookie(SESSION_COOKIE), "signed in");
    }

    private static RequestSpecification login() {
        return given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("j_username", "admin").formParam("j_password", "admin-demo");
    }
}
