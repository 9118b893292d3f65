package com.cameloauth.quarkus;

import static io.restassured.RestAssured.given;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The demo authorization server and API exist only in dev and test builds: a prod build answers 404. */
@QuarkusTest
@TestProfile(DemoAbsentInProdTest.ProdBuild.class)
class DemoAbsentInProdTest {

    public static class ProdBuild implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "prod";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            String unreachable = "http://127.0.0.1:9";
            return Map.ofEntries(
                    Map.entry("quarkus.http.test-port", "18182"),
                    Map.entry("oauth.connections.orders-api.policy", "none"),
                    Map.entry("oauth.connections.orders-api.base-url", unreachable),
                    Map.entry("oauth.connections.orders-api.allow-insecure", "true"),
                    Map.entry("oauth.connections.shipping-api.policy", "none"),
                    Map.entry("oauth.connections.shipping-api.base-url", unreachable),
                    Map.entry("oauth.connections.shipping-api.allow-insecure", "true"),
                    // no sample integration runs: this test is about the demo endpoints only
                    Map.entry("camel.main.routes-include-pattern", "file:routes/no-such-route-*.yaml"),
                    Map.entry("quarkus.camel.routes-discovery.exclude-patterns", "com/cameloauth/samples/**"));
        }
    }

    @Test
    void demoEndpointsAreNotFoundInAProdBuild() {
        given().formParam("grant_type", "client_credentials").post("/demo/oauth/token").then().statusCode(404);
        given().get("/demo/api/orders").then().statusCode(404);
        given().get("/demo/stats").then().statusCode(404);
    }

    @Test
    void theAppItselfRuns() {
        given().get("/q/health/live").then().statusCode(200);
    }
}
