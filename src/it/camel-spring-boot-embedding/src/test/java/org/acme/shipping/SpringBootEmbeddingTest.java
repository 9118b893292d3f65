package org.acme.shipping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.CompositeHealth;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Runs the Spring Boot application against a token endpoint and an API served here on loopback: the connection comes
 * from Spring's application.properties with its secret from the environment, the route's call carries the issued
 * Bearer token, the connection's metrics are in Spring's MeterRegistry and its health check in the actuator's health.
 */
@SpringBootTest
class SpringBootEmbeddingTest {

    record Received(String method, String path, String authorization, String body) {
    }

    static final String ISSUED_TOKEN = "at-" + UUID.randomUUID();
    static final List<Received> TOKEN_REQUESTS = new CopyOnWriteArrayList<>();
    static final List<Received> API_REQUESTS = new CopyOnWriteArrayList<>();
    static HttpServer authServer;
    static HttpServer apiServer;

    /** Servers start before Spring does; the application's two URLs point at them, nothing else is overridden. */
    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) throws IOException {
        authServer = server();
        authServer.createContext("/token", ex -> {
            TOKEN_REQUESTS.add(received(ex));
            respond(ex, 200, "{\"access_token\":\"" + ISSUED_TOKEN + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
        });
        authServer.start();
        apiServer = server();
        apiServer.createContext("/api/v1/orders", ex -> {
            API_REQUESTS.add(received(ex));
            respond(ex, 200, "[{\"id\":42}]");
        });
        apiServer.start();
        registry.add("orders.api-url", () -> "http://127.0.0.1:" + apiServer.getAddress().getPort() + "/api");
        registry.add("orders.token-url", () -> "http://127.0.0.1:" + authServer.getAddress().getPort() + "/token");
    }

    @AfterAll
    static void stopServers() {
        authServer.stop(0);
        apiServer.stop(0);
    }

    @Autowired
    ProducerTemplate template;

    @Autowired
    MeterRegistry meters;

    @Autowired
    HealthEndpoint health;

    @Test
    void routeCallsTheApiWithTheIssuedTokenAndShowsInMetricsAndHealth() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.quarkus.runtime.Quarkus"),
                "Quarkus must not be on a Spring Boot embedder's class path");

        assertEquals("[{\"id\":42}]", template.requestBody("direct:list-orders", null, String.class));

        assertEquals(1, API_REQUESTS.size(), API_REQUESTS::toString);
        Received call = API_REQUESTS.get(0);
        assertEquals("GET", call.method());
        assertEquals("Bearer " + ISSUED_TOKEN, call.authorization());
        System.out.println("API received " + call.method() + " " + call.path() + " with Authorization: "
                + call.authorization() + " (token endpoint issued " + ISSUED_TOKEN + ")");

        // The secret is the environment's (invoker.properties), not the placeholder in application.properties.
        assertEquals(1, TOKEN_REQUESTS.size(), TOKEN_REQUESTS::toString);
        String secret = System.getenv("OAUTH_CONNECTIONS_ORDERS_CLIENT_SECRET");
        assertNotNull(secret, "OAUTH_CONNECTIONS_ORDERS_CLIENT_SECRET is set by invoker.properties");
        assertEquals("Basic " + Base64.getEncoder().encodeToString((form("orders-client") + ":" + form(secret))
                .getBytes(StandardCharsets.UTF_8)), TOKEN_REQUESTS.get(0).authorization());
        System.out.println("Token endpoint received the client secret from OAUTH_CONNECTIONS_ORDERS_CLIENT_SECRET");

        // Metrics: the component bound its meters to Spring Boot's MeterRegistry.
        assertEquals(1.0, meters.get("oauth.token.events").tag("connection", "orders").tag("event", "acquired")
                .counter().count());
        assertEquals(1.0, meters.get("oauth.connection.up").tag("connection", "orders").gauge().value());
        System.out.println("Spring MeterRegistry: oauth.token.events{connection=orders,event=acquired} = 1");

        // Health: the connection's Camel health check in the actuator's health.
        HealthComponent all = health.health();
        assertEquals(Status.UP, all.getStatus());
        HealthComponent camel = assertInstanceOf(CompositeHealth.class, all).getComponents().get("camelHealth");
        assertNotNull(camel, "no camelHealth in " + assertInstanceOf(CompositeHealth.class, all).getComponents().keySet());
        Map<String, Object> details = assertInstanceOf(Health.class, camel).getDetails();
        String check = details.keySet().stream().filter(k -> k.contains("oauth-connection-orders")).findFirst()
                .orElseThrow(() -> new AssertionError("no oauth-connection-orders check in camelHealth: " + details));
        assertTrue(String.valueOf(details.get(check)).contains("UP"), check + " = " + details.get(check));
        System.out.println("Actuator health: camelHealth " + check + " = " + details.get(check));
    }

    private static String form(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static HttpServer server() throws IOException {
        return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    }

    private static Received received(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        return new Received(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                ex.getRequestHeaders().getFirst("Authorization"), body);
    }

    private static void respond(HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }
}
