package com.cameloauth.quarkus;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The app starts with the sample routes and the demo servers, and the integrations do their work. */
@QuarkusTest
class SampleIntegrationsTest {

    @Test
    void sampleIntegrationsCallBothApisThroughTheirConnections() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/demo/stats").then()
                .statusCode(200)
                // the Java DSL route (orders-api, then shipping-api)
                .body("shipmentsCreated", greaterThanOrEqualTo(1))
                // the YAML route (operation=token, then plain camel-http)
                .body("shipmentQueries", greaterThanOrEqualTo(1))
                // one token per connection: orders-api and shipping-api
                .body("tokensIssued", greaterThanOrEqualTo(2))
                .body("apiCallsRejected", equalTo(0)));
    }

    @Test
    void healthIsUpWithOneCheckPerConnection() {
        // A connection is not ready before a token could be had; the health calls themselves get the first ones.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'oauth-connection-orders-api' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'oauth-connection-shipping-api' }.status", equalTo("UP")));
    }

    @Test
    void metricsShowTokenEventsPerConnectionAndNoSecret() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("oauth_token_events_total{connection=\"orders-api\",event=\"acquired\"} 1.0"))
                .body(containsString("oauth_connection_up{connection=\"shipping-api\"} 1.0"))
                .body(containsString("oauth_token_expires_in_seconds{connection=\"orders-api\"}"))
                .body(not(containsString("demo-orders-secret"))));
    }

    @Test
    void metricsShowTokenRequestsApiCallsAndReplaysAfterTheSampleIntegrationsRan() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("oauth_token_requests_total{connection=\"orders-api\",grant=\"client_credentials\","
                        + "outcome=\"success\"}"))
                .body(containsString("oauth_token_request_duration_seconds_count{connection=\"orders-api\","
                        + "grant=\"client_credentials\"}"))
                .body(containsString("oauth_api_calls_total{connection=\"orders-api\",status_class=\"2xx\"}"))
                .body(containsString("oauth_token_refreshes_total{connection=\"orders-api\"}"))
                .body(containsString("oauth_api_replays_total{connection=\"orders-api\"}"))
                .body(not(containsString("demo-orders-secret"))));
    }

    @Test
    void auditTrailIsJsonLinesWithFingerprintsInItsOwnFile() {
        java.nio.file.Path audit = java.nio.file.Path.of("target/oauth-audit.jsonl");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String lines = java.nio.file.Files.readString(audit);
            org.junit.jupiter.api.Assertions.assertTrue(lines.matches("(?s).*\\{\"at\":\"[^\"]+\",\"connection\":\"orders-api\","
                    + "\"event\":\"ACQUIRED\",\"fingerprint\":\"[0-9a-f]{16}\".*"), lines);
            org.junit.jupiter.api.Assertions.assertFalse(lines.contains("demo-orders-secret"));
        });
    }
}
