package com.cameloauth.noleak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * One loopback server in front of Keycloak that sees every secret and token of the no-leak run where it really travels:
 * <ul>
 * <li>{@code POST /token}: forwarded to Keycloak's token endpoint as is; records the client secrets, passwords and
 * refresh tokens of the request and every {@code access_token}, {@code refresh_token} and {@code id_token} Keycloak
 * answers;</li>
 * <li>{@code /api/**}: a stub API recording the bearer token it receives; {@code /api/replay} answers the first request
 * 401 {@code invalid_token} (so the engine gets a new token and replays), later ones 200;</li>
 * <li>{@code GET /_captured}: what was recorded, one {@code label<TAB>value} a line, for the test (which runs in another
 * class loader than the Quarkus test resource that starts this server).</li>
 * </ul>
 */
final class RecordingGateway implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String tokenUrl;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Queue<String> captured = new ConcurrentLinkedQueue<>();
    private final AtomicInteger replayRequests = new AtomicInteger();
    private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "noleak-gateway");
        t.setDaemon(true);
        return t;
    });

    RecordingGateway(String keycloakTokenUrl) throws IOException {
        this.tokenUrl = keycloakTokenUrl;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/token", this::token);
        server.createContext("/api", this::api);
        server.createContext("/_captured", this::dump);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    String key = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
                    String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    if (key.equals("client_secret") || key.equals("password") || key.equals("refresh_token")
                            || key.equals("client_assertion") || key.equals("code") || key.equals("code_verifier")) {
                        record("sent " + key, value);
                    }
                }
            }
            HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(tokenUrl)).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null) {
                forward.header("Authorization", authorization);
                if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
                    String pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
                    record("sent basic client secret", URLDecoder.decode(pair.substring(pair.indexOf(':') + 1), StandardCharsets.UTF_8));
                }
            }
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            forward.header("Content-Type", type == null ? "application/x-www-form-urlencoded" : type);
            HttpResponse<String> answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200) {
                JsonNode json = JSON.readTree(answer.body());
                for (String field : new String[] {"access_token", "refresh_token", "id_token"}) {
                    if (json.hasNonNull(field)) {
                        record("issued " + field, json.get(field).asText());
                    }
                }
            }
            reply(exchange, answer.statusCode(), answer.headers().firstValue("Content-Type").orElse("application/json"),
                    answer.body(), Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private void api(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null) {
                record("api authorization", authorization.replaceFirst("(?i)^bearer ", ""));
            }
            if (exchange.getRequestURI().getPath().equals("/api/replay") && replayRequests.getAndIncrement() == 0) {
                reply(exchange, 401, "application/json", "{\"error\":\"invalid_token\"}",
                        Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\""));
                return;
            }
            reply(exchange, 200, "application/json", "{\"ok\":true,\"path\":\"" + exchange.getRequestURI().getPath() + "\"}", Map.of());
        }
    }

    private void dump(HttpExchange exchange) throws IOException {
        try (exchange) {
            StringBuilder out = new StringBuilder();
            for (Iterator<String> it = captured.iterator(); it.hasNext();) {
                out.append(it.next()).append('\n');
            }
            reply(exchange, 200, "text/plain", out.toString(), Map.of());
        }
    }

    private void record(String label, String value) {
        if (value != null && !value.isEmpty()) {
            captured.add(label + '\t' + value);
        }
    }

    private static void reply(HttpExchange exchange, int status, String type, String body, Map<String, String> headers)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
