package org.acme.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Runs the application the way camel-main runs it (application.properties, YAML routes, a Java RouteBuilder) against
 * a token endpoint and an API served here on loopback, and checks that the oauth: component did its job without
 * Quarkus on the classpath.
 */
class EmbeddingWithoutQuarkusTest {

    /** What the test saw arrive at one of its servers. */
    record Received(String method, String path, String authorization, String contentType, String body) {
    }

    private final String issuedToken = "at-" + UUID.randomUUID();
    private final List<Received> tokenRequests = new CopyOnWriteArrayList<>();
    private final List<Received> apiRequests = new CopyOnWriteArrayList<>();
    private HttpServer authServer;
    private HttpServer apiServer;
    private Main main;

    @BeforeEach
    void startServers() throws IOException {
        authServer = server();
        authServer.createContext("/token", ex -> {
            tokenRequests.add(received(ex));
            respond(ex, 200, "{\"access_token\":\"" + issuedToken + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
        });
        authServer.start();
        apiServer = server();
        apiServer.createContext("/api/v1/orders", ex -> {
            Received r = received(ex);
            apiRequests.add(r);
            if ("POST".equals(r.method())) {
                respond(ex, 201, "{\"id\":43}");
            } else {
                respond(ex, 200, "[{\"id\":42}]");
            }
        });
        apiServer.start();
    }

    @AfterEach
    void stopAll() {
        if (main != null) {
            main.stop();
        }
        authServer.stop(0);
        apiServer.stop(0);
    }

    @Test
    void routesCallTheApiWithTheIssuedBearerTokenWithoutQuarkus() throws Exception {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.quarkus.runtime.Quarkus"),
                "Quarkus must not be on an embedder's classpath");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> quarkusJars = Arrays.stream(classPath.split(File.pathSeparator))
                .filter(e -> e.contains("quarkus")).toList();
        assertEquals(List.of(), quarkusJars, "no Quarkus jar on the test class path");

        MeterRegistry meters = new SimpleMeterRegistry();
        main = OrdersApplication.create(meters);
        // Same application.properties as in production; only the two URLs point at this test's servers.
        main.addOverrideProperty("orders.api-url", "http://127.0.0.1:" + apiServer.getAddress().getPort() + "/api");
        main.addOverrideProperty("orders.token-url", "http://127.0.0.1:" + authServer.getAddress().getPort() + "/token");
        main.start();
        CamelContext camel = main.getCamelContext();
        System.out.println("Ran on Camel " + camel.getVersion());
        assertNotNull(camel.getRoute("list-orders"), "YAML route loaded from camel/list-orders.yaml");
        assertNotNull(camel.getRoute("create-order"), "Java RouteBuilder found by package scan");

        ProducerTemplate template = camel.createProducerTemplate();
        String listed;
        String created;
        // slf4j-simple writes to System.err as it is at each line: the audit trail's lines are caught here
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            listed = template.requestBody("direct:list-orders", null, String.class);
            created = template.requestBody("direct:create-order", "{\"item\":\"book\"}", String.class);
        } finally {
            System.setErr(err);
        }

        assertEquals("[{\"id\":42}]", listed);
        assertEquals("{\"id\":43}", created);

        // The API got the token the token endpoint issued, on both calls.
        assertEquals(2, apiRequests.size(), apiRequests::toString);
        for (Received r : apiRequests) {
            assertEquals("Bearer " + issuedToken, r.authorization(), r::toString);
            System.out.println("API received " + r.method() + " " + r.path() + " with Authorization: " + r.authorization()
                    + " (token endpoint issued " + issuedToken + ")");
        }
        assertEquals("GET", apiRequests.get(0).method());
        assertEquals("POST", apiRequests.get(1).method());
        assertEquals("{\"item\":\"book\"}", apiRequests.get(1).body());

        // One token request for two calls: the token is cached.
        assertEquals(1, tokenRequests.size(), tokenRequests::toString);
        Received token = tokenRequests.get(0);
        assertEquals("POST", token.method());
        assertTrue(token.contentType().startsWith("application/x-www-form-urlencoded"), token.contentType());
        assertEquals("grant_type=client_credentials&scope=orders%3Aread+orders%3Awrite", token.body());
        // client_secret_basic (the default): RFC 6749 2.3.1, id and secret form-encoded, then Base64.
        String secret = System.getenv("ORDERS_CLIENT_SECRET");
        assertNotNull(secret, "ORDERS_CLIENT_SECRET is set by the surefire configuration");
        String expectedBasic = "Basic " + Base64.getEncoder().encodeToString(
                (form("orders-client") + ":" + form(secret)).getBytes(StandardCharsets.UTF_8));
        assertEquals(expectedBasic, token.authorization());
        System.out.println("Token endpoint received 1 request: " + token.body() + " with client_secret_basic for orders-client");

        // Metrics, in the MeterRegistry bound in Camel's registry, after the real calls above.
        assertEquals(1.0, meters.get("oauth.token.requests").tag("connection", "orders").tag("outcome", "success")
                .counter().count(), "one successful token request");
        assertEquals(2.0, meters.get("oauth.api.calls").tag("connection", "orders").tag("status_class", "2xx")
                .counter().count(), "two API calls answered 2xx");
        assertEquals(1.0, meters.get("oauth.connection.up").tag("connection", "orders").gauge().value());
        System.out.println("Metrics: oauth.token.requests{outcome=success}=1, oauth.api.calls{status_class=2xx}=2");

        // Health, through Camel's health check registry (what camel-main's /observe/health and Spring's actuator show).
        HealthCheck.Result health = HealthCheckRegistry.get(camel).getCheck("oauth-connection-orders").orElseThrow().call();
        assertEquals(HealthCheck.State.UP, health.getState(), () -> String.valueOf(health.getDetails()));

        // The audit trail: one JSON line per token event on the logger com.cameloauth.audit, never the token.
        String lines = log.toString(StandardCharsets.UTF_8);
        assertTrue(lines.contains("com.cameloauth.audit - {\"at\":") && lines.contains("\"connection\":\"orders\",\"event\":\"ACQUIRED\""),
                lines);
        assertFalse(lines.contains(issuedToken), "no token in the log");
        assertFalse(lines.contains(secret), "no secret in the log");
        System.out.println("Audit trail line seen on com.cameloauth.audit");
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
                ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("Content-Type"), body);
    }

    private static void respond(HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }
}
