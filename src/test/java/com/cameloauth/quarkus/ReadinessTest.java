package com.cameloauth.quarkus;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Readiness without any route traffic: a connection whose client is rejected is never ready, one whose credentials
 * work becomes ready by the health calls alone, and the unauthenticated health page shows neither the token
 * endpoint's address nor its error_description.
 */
@QuarkusTest
@TestProfile(ReadinessTest.NoRoutes.class)
class ReadinessTest {
    private static final String DESCRIPTION = "see https://idp.internal.example/help";

    public static class NoRoutes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.test-port", "0",
                    "oauth.connections.orders-api.client-secret", "wrong-secret",
                    "camel.main.routes-include-pattern", "classpath:readiness/events.yaml",
                    "quarkus.camel.routes-discovery.exclude-patterns", "com/cameloauth/samples/**");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TokenEndpoint.class));
        }
    }

    /** shipping-api's client (client_secret_post) gets tokens; everything else is rejected. */
    public static class TokenEndpoint implements QuarkusTestResourceLifecycleManager {
        private WireMockServer server;

        @Override
        public Map<String, String> start() {
            server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
            server.start();
            server.stubFor(post(urlPathEqualTo("/token")).willReturn(aResponse().withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":\"invalid_client\",\"error_description\":\"" + DESCRIPTION + "\"}")));
            server.stubFor(post(urlPathEqualTo("/token")).withRequestBody(containing("client_id=shipping-client"))
                    .willReturn(okJson("{\"access_token\":\"t-1\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
            String tokenUrl = "http://127.0.0.1:" + server.port() + "/token";
            return Map.of("oauth.connections.orders-api.token-url", tokenUrl,
                    "oauth.connections.shipping-api.token-url", tokenUrl);
        }

        @Override
        public void stop() {
            if (server != null) {
                server.stop();
            }
        }
    }

    @Test
    void wrongSecretIsNeverReadyAndWorkingCredentialsBecomeReadyWithoutRouteTraffic() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(503)
                .body("checks.find { it.name == 'oauth-connection-shipping-api' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'oauth-connection-orders-api' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'oauth-connection-orders-api' }.data.state", equalTo("FAILED")));

        String page = given().get("/q/health").then().statusCode(503).extract().asString();
        for (String hidden : List.of("idp.internal.example", DESCRIPTION, "127.0.0.1", "/token", "t-1")) {
            assertFalse(page.contains(hidden), () -> "/q/health shows '" + hidden + "': " + page);
        }
        System.out.println("readiness with a wrong secret: " + page);
    }
}
