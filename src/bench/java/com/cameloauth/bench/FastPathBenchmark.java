package com.cameloauth.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;

import com.cameloauth.connection.ConnectionDefinitions;
import com.cameloauth.token.Authorization;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.TokenManager;
import com.sun.net.httpserver.HttpServer;

/**
 * The cached-token fast path: {@code TokenManager.authorize()} on a warm cache (what the oauth: producer calls once per
 * exchange), beside the hand-written cache and Spring's manager on their warm caches. Each fork starts a tiny JDK
 * token server for the one token each implementation fetches in setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FastPathBenchmark {
    private HttpServer server;
    private OAuthConnections connections;
    private TokenManager manager;
    private TokenSources.HandWritten hand;
    private TokenSources.Spring spring;
    private OAuth2AuthorizeRequest springRequest;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"access_token\":\"tok-jmh\",\"token_type\":\"Bearer\",\"expires_in\":86400}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        String tokenUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
        connections = OAuthConnections.builder(ConnectionDefinitions.fromProperties(
                TokenSources.connectionProperties("jmh", "http://127.0.0.1:9/api", tokenUrl))).build();
        manager = connections.tokenManager("jmh").orElseThrow();
        manager.authorize();
        hand = new TokenSources.HandWritten(TokenSources.HandWritten.newHttpClient(), tokenUrl, "jmh-hand", "secret");
        hand.authorizationHeader();
        spring = new TokenSources.Spring(tokenUrl, List.of("jmh-spring"));
        springRequest = OAuth2AuthorizeRequest.withClientRegistrationId("jmh-spring").principal("bench-service").build();
        spring.manager.authorize(springRequest);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        connections.close();
        server.stop(0);
    }

    /** This project: the cached Authorization, one volatile read and a clock read. */
    @Benchmark
    public Authorization tokenManagerAuthorize() {
        return manager.authorize();
    }

    /** volatile token + synchronized refresh, as people write it. */
    @Benchmark
    public String handWrittenCache() {
        return hand.authorizationHeader();
    }

    /** Spring Security's AuthorizedClientServiceOAuth2AuthorizedClientManager, token cached (no "Bearer " concat). */
    @Benchmark
    public Object springAuthorizedClientManager() {
        return spring.manager.authorize(springRequest);
    }
}
