package com.cameloauth.token;

import static com.cameloauth.token.TokenEndpoint.token;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/**
 * Many callers released at once share one token request. Each token response takes 200 ms, so that the callers
 * really overlap with the request in flight. The measured counts are printed so that they can be quoted.
 */
class SingleFlightConcurrencyTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    private static final int CALLERS = 64;
    private static final int DELAY_MS = 200;

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private final RecordingListener listener = new RecordingListener();
    private final CountingExecutor executor = new CountingExecutor();
    private final TokenEndpoint endpoint = new TokenEndpoint(server);
    private final ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
    private OAuthConnections engine;
    private TokenManager manager;

    @BeforeEach
    void start() {
        endpoint.answersInTurn(token("token-A", 300).withFixedDelay(DELAY_MS), token("token-B", 300).withFixedDelay(DELAY_MS),
                token("token-C", 300).withFixedDelay(DELAY_MS));
        engine = TestConnection.onPort(server.getPort()).with("refresh-skew", "60s")
                .engine(clock, sleeper, executor, listener);
        manager = engine.tokenManager(TestConnection.NAME).orElseThrow();
    }

    @AfterEach
    void stop() throws InterruptedException {
        callers.shutdownNow();
        callers.awaitTermination(5, TimeUnit.SECONDS);
        engine.close();
        executor.close();
    }

    /** Runs the call on {@link #CALLERS} threads released together by a barrier; returns every result. */
    private <T> List<T> together(Callable<T> call) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(CALLERS);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            futures.add(callers.submit(() -> {
                barrier.await(10, TimeUnit.SECONDS);
                return call.call();
            }));
        }
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            results.add(f.get(30, TimeUnit.SECONDS));
        }
        return results;
    }

    private static Set<String> headerValues(List<Authorization> authorizations) {
        return authorizations.stream().map(Authorization::headerValue).collect(Collectors.toSet());
    }

    private static void report(String what, int requests) {
        System.out.println("single-flight: " + what + ": " + CALLERS + " callers -> " + requests + " token request(s)");
    }

    @Test
    void authorizeOnColdCacheFromManyThreadsThenOneTokenRequest() throws Exception {
        List<Authorization> results = together(manager::authorize);

        int requests = endpoint.requests();
        report("cold cache", requests);
        assertEquals(1, requests);
        assertEquals(CALLERS, results.size());
        assertEquals(Set.of("Bearer token-A"), headerValues(results), "all callers got the same token");
    }

    @Test
    void authorizeOnExpiredCacheFromManyThreadsThenOneMoreTokenRequest() throws Exception {
        manager.authorize();
        clock.advance(Duration.ofSeconds(300));

        List<Authorization> results = together(manager::authorize);

        int more = endpoint.requests() - 1;
        report("expired cache", more);
        assertEquals(1, more);
        assertEquals(Set.of("Bearer token-B"), headerValues(results));
    }

    @Test
    void afterRejectionOfSameTokenFromManyThreadsThenOneTokenRequest() throws Exception {
        Authorization rejected = manager.authorize();

        List<Authorization> results = together(() -> manager.afterRejection(rejected).orElseThrow());

        int more = endpoint.requests() - 1;
        report("401 storm on one token", more);
        assertEquals(1, more);
        assertEquals(Set.of("Bearer token-B"), headerValues(results), "every replay uses the one new token");
        assertEquals(1, listener.ofType(TokenEvent.Type.REJECTED).size(), "the token was evicted once");
    }

    @Test
    void authorizePastRefreshPointFromManyThreadsThenOneBackgroundRefresh() throws Exception {
        manager.authorize();
        clock.advance(Duration.ofSeconds(241));

        List<Authorization> results = together(manager::authorize);
        await().atMost(Duration.ofSeconds(5)).until(() -> executor.idle() && endpoint.requests() == 2);

        report("past the refresh point (background)", endpoint.requests() - 1);
        assertEquals(Set.of("Bearer token-A"), headerValues(results), "callers keep the valid token meanwhile");
        assertEquals(1, executor.submitted(), "one background refresh");
        assertEquals("Bearer token-B", manager.authorize().headerValue());
    }
}
