package com.cameloauth.quarkus.manage;

import static io.restassured.RestAssured.given;

import org.junit.jupiter.api.Test;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A prod build has no management API and no page unless an operator turns them on: 404 with or without credentials
 * (the demo users do not exist there either).
 */
@QuarkusTest
@TestProfile(ManagementOffInProdTest.ProdBuild.class)
class ManagementOffInProdTest {
    static final int PORT = Integer.getInteger("test-ports.prod", 18183);

    public static class ProdBuild implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "prod";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            String unreachable = "http://127.0.0.1:9";
            return Map.ofEntries(
                    Map.entry("quarkus.http.test-port", String.valueOf(PORT)),
                    Map.entry("oauth.connections.orders-api.policy", "none"),
                    Map.entry("oauth.connections.orders-api.base-url", unreachable),
                    Map.entry("oauth.connections.orders-api.allow-insecure", "true"),
                    Map.entry("camel.main.routes-include-pattern", "file:routes/no-such-route-*.yaml"),
                    Map.entry("quarkus.camel.routes-discovery.exclude-patterns", "com/cameloauth/samples/**"));
        }
    }

    @Test
    void apiAndPageAreNotFound() {
        given().redirects().follow(false).get("/oauth/api/connections").then().statusCode(404);
        given().redirects().follow(false).auth().preemptive().basic("admin", "admin-demo").get("/oauth/api/connections")
                .then().statusCode(404);
        given().redirects().follow(false).header("Origin", "http://127.0.0.1:" + PORT).post("/oauth/api/connections/orders-api/revoke")
                .then().statusCode(404);
        given().redirects().follow(false).get("/oauth/ui/").then().statusCode(404);
        given().redirects().follow(false).get("/oauth/ui/login.html").then().statusCode(404);
    }

    @Test
    void theRestOfTheAppStillAnswers() {
        // the form and basic mechanisms are built in; without an identity provider Quarkus would answer 500 here
        given().get("/q/health/live").then().statusCode(200);
        given().auth().preemptive().basic("orders-client", "x").get("/q/health/live").then().statusCode(200);
    }
}
