package com.cameloauth.quarkus;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A packaged (prod) app runs the user's routes and connections, not ours: the demo authorization server and API
 * answer 404 and the sample integrations (routes/shipment-tracking.yaml, OrdersToShipmentsRoute) do not run. The app
 * starts with the repository's routes/ directory and no orders-api/shipping-api connection, as a user's app would;
 * a sample route that ran would fail start-up on its unknown connection.
 */
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
            // only a free port: everything else is what a prod build gets
            return Map.of("quarkus.http.test-port", "0");
        }
    }

    @Inject
    CamelContext camel;

    @Test
    void demoEndpointsAreNotFoundInAProdBuild() {
        given().formParam("grant_type", "client_credentials").post("/demo/oauth/token").then().statusCode(404);
        given().get("/demo/api/orders").then().statusCode(404);
        given().get("/demo/stats").then().statusCode(404);
        given().get("/demo/oauth/authorize").then().statusCode(404);
        given().formParam("username", "ada").post("/demo/oauth/authorize").then().statusCode(404);
        given().get("/demo/api/me/orders").then().statusCode(404);
        // no authorization-code connection in a prod build: no callback is served, and no sample integration
        given().get("/oauth/callback?code=c&state=s").then().statusCode(404);
        given().get("/integrations/my-orders").then().statusCode(404);
    }

    @Test
    void sampleIntegrationsDoNotRunInAProdBuild() {
        assertNull(camel.getRoute("orders-to-shipments"), "the Java DSL sample route runs in prod");
        assertNull(camel.getRoute("shipment-tracking"), "the YAML sample route runs in prod");
        assertEquals(List.of(), camel.getRoutes().stream().map(Route::getRouteId).toList(), "routes running in prod");
        // and without a sample or demo connection, the app is up
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
    }
}
