package com.cameloauth.quarkus;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Editing a YAML route while the app runs (what {@code quarkus:dev} does with routes/) reloads that route and leaves
 * the other routes running: the Java DSL sample keeps booking shipments. The reload switches are the dev profile's,
 * turned on here over a temporary routes directory; whether other routes survive comes from application.properties.
 */
@QuarkusTest
@TestProfile(YamlRouteReloadTest.ReloadingRoutes.class)
class YamlRouteReloadTest {

    static final Path ROUTES = createRoutesDirectory();

    public static class ReloadingRoutes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String include = "file:" + ROUTES.toAbsolutePath() + "/*.yaml";
            return Map.of(
                    "%test.camel.main.routes-include-pattern", include,
                    "camel.main.routes-include-pattern", include,
                    "camel.main.routes-reload-enabled", "true",
                    "camel.main.routes-reload-directory", ROUTES.toAbsolutePath().toString(),
                    "camel.main.routes-reload-pattern", "*.yaml",
                    "samples.orders.poll-period", "500");
        }
    }

    @Inject
    CamelContext camel;

    @Inject
    ProducerTemplate template;

    @Test
    void editingAYamlRouteLeavesTheJavaRouteRunning() throws IOException {
        assertEquals("v1", template.requestBody("direct:reloadable", null, String.class));
        assertNotNull(camel.getRoute("orders-to-shipments"), "the Java DSL sample route runs before the edit");

        Files.writeString(ROUTES.resolve("reloadable.yaml"), route("v2"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> "v2".equals(template.requestBody("direct:reloadable", null, String.class)));

        assertNotNull(camel.getRoute("orders-to-shipments"), "the Java DSL sample route was removed by the YAML reload");
        assertEquals(ServiceStatus.Started, camel.getRouteController().getRouteStatus("orders-to-shipments"));
        long booked = shipmentsCreated();
        await().atMost(Duration.ofSeconds(30)).until(() -> shipmentsCreated() > booked);
    }

    private static long shipmentsCreated() {
        return given().get("/demo/stats").then().statusCode(200).extract().jsonPath().getLong("shipmentsCreated");
    }

    private static String route(String answer) {
        return """
                - route:
                    id: reloadable
                    from:
                      uri: direct:reloadable
                      steps:
                        - setBody:
                            constant: "%s"
                """.formatted(answer);
    }

    private static Path createRoutesDirectory() {
        try {
            Path dir = Files.createDirectories(Path.of("target", "reload-routes"));
            Files.writeString(dir.resolve("reloadable.yaml"), route("v1"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
