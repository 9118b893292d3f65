package com.cameloauth.token;

import static com.cameloauth.token.TokenEndpoint.json;
import static com.cameloauth.token.TokenEndpoint.token;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/**
 * What callers see while a token request is in flight, held by a {@link GateSleeper} between two attempts for as
 * long as the test wants: nobody waits longer than request-timeout, nobody waits forever whatever the request throws,
 * and a refresh never takes the valid token away from anyone.
 */
class InFlightRequestTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final GateSleeper gate = new GateSleeper();
    private final RecordingListener listener = new RecordingListener();
    private final CountingExecutor executor = new CountingExecutor();
    private final TokenEndpoint endpoint = new TokenEndpoint(server);
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private OAuthConnections engine;

    @AfterEach
    void stop() throws InterruptedException {
        gate.release();
        callers.shutdownNow();
        callers.awaitTermination(5, TimeUnit.SECONDS);
        if (engine != null) {
            engine.close();
        }
        executor.close();
    }

    /** max-attempts 2, so that a first failed attempt is followed by a wait at the gate. */
    private TokenManager manager(String... keyValues) {
        TestConnection connection = TestConnection.onPort(server.getPort()).with("max-attempts", "2")
                .with("retry-backoff", "100ms");
        for (int i = 0; i < keyValues.length; i += 2) {
            connection.with(keyValues[i], keyValues[i + 1]);
        }
        engine = connection.engine(clock, gate, executor, listener);
        return engine.tokenManager(TestConnection.NAME).orElseThrow();
    }

    /** Runs the call on another thread; the future holds what it threw, or null. */
    private Future<Throwable> failureOf(Callable<?> call) {
        return callers.submit(() -> {
            try {
                call.call();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
    }

    @Test
    void callerJoiningARequestThatOutlastsRequestTimeoutThenFailsWhileTheRequestGoesOn() throws Exception {
        endpoint.answersInTurn(json(500, "{}"), token("token-A", 300));
        TokenManager manager = manager("request-timeout", "200ms");
        Future<Authorization> starter = callers.submit(manager::authorize);
        gate.awaitHolding();

        Throwable joiner = failureOf(manager::authorize).get(10, TimeUnit.SECONDS);

        TokenEndpointUnavailableException e = assertInstanceOf(TokenEndpointUnavailableException.class, joiner);
        assertTrue(e.getMessage().contains("'orders'") && e.getMessage().contains("in flight")
                && e.getMessage().contains("request-timeout"), e::getMessage);
        assertTrue(e.isRetryable());
        assertFalse(starter.isDone(), "the request itself goes on");
        // A later caller joins the same request (and gives up the same way) rather than starting another one.
        assertInstanceOf(TokenEndpointUnavailableException.class, failureOf(manager::authorize).get(10, TimeUnit.SECONDS));
        assertEquals(1, endpoint.requests());
        assertTrue(gate.holding());

        gate.release();
        assertEquals("Bearer token-A", starter.get(10, TimeUnit.SECONDS).headerValue());
        assertEquals("Bearer token-A", manager.authorize().headerValue(), "the next caller gets what the request brought");
        assertEquals(2, endpoint.requests(), "one request, two attempts");
    }

    @Test
    void errorInsideTheTokenRequestThenEveryWaitingCallerFailsAndTheNextCallerStartsAfresh() throws Exception {
        endpoint.answers(json(500, "{}"));
        TokenManager manager = manager();
        Future<Throwable> starter = failureOf(manager::authorize);
        gate.awaitHolding();
        CompletableFuture<Throwable> joined = new CompletableFuture<>();
        Thread joiner = new Thread(() -> {
            try {
                manager.authorize();
                joined.complete(null);
            } catch (Throwable t) {
                joined.complete(t);
            }
        }, "joiner");
        joiner.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> joiner.getState() == Thread.State.WAITING
                || joiner.getState() == Thread.State.TIMED_WAITING);

        gate.releaseWith(new AssertionError("simulated error inside the token request"));

        assertInstanceOf(AssertionError.class, starter.get(10, TimeUnit.SECONDS), "the thread that hit it sees the error");
        OAuthTokenException shared = assertInstanceOf(OAuthTokenException.class, joined.get(10, TimeUnit.SECONDS));
        assertInstanceOf(AssertionError.class, shared.getCause());
        assertTrue(shared.getMessage().contains("'orders'"), shared::getMessage);
        assertEquals(List.of(TokenEvent.Type.FAILED), listener.types());

        endpoint.answers(token("token-A", 300));
        assertEquals("Bearer token-A", manager.authorize().headerValue(), "nothing is left in flight");
        assertEquals(2, endpoint.requests());
    }

    @Test
    void listenerThrowingAnErrorThenCallersStillGetTheirTokenAndOtherListenersTheEvent() {
        endpoint.answersInTurn(token("token-A", 300), json(500, "{}"));
        TestConnection connection = TestConnection.onPort(server.getPort()).with("max-attempts", "1");
        engine = OAuthConnections.builder(connection.definitions()).clock(clock).sleeper(gate).executor(executor).build();
        engine.addListener(e -> {
            throw new AssertionError("a broken listener");
        });
        engine.addListener(e -> {
            throw new IllegalStateException("another broken listener");
        });
        engine.addListener(listener);
        TokenManager manager = engine.tokenManager(TestConnection.NAME).orElseThrow();

        assertEquals("Bearer token-A", manager.authorize().headerValue());
        OAuthTokenException e = assertThrows(OAuthTokenException.class, manager::refresh);

        assertEquals(500, e.httpStatus());
        assertEquals(List.of(TokenEvent.Type.ACQUIRED, TokenEvent.Type.REFRESH_FAILED), listener.types(),
                "the valid token stays in use");
    }

    @Test
    void callersDuringARefreshThenGetTheCurrentTokenWithoutWaiting() throws Exception {
        endpoint.answersInTurn(token("token-A", 300), json(500, "{}"), token("token-B", 300));
        TokenManager manager = manager();
        Authorization a = manager.authorize();
        Future<Token> refreshing = callers.submit(manager::refresh);
        gate.awaitHolding();

        for (int i = 0; i < 5; i++) {
            assertSame(a, manager.authorize());
        }
        assertTrue(gate.holding(), "the refresh was still in flight meanwhile");
        assertEquals(2, endpoint.requests());

        gate.release();
        assertEquals("token-B", refreshing.get(10, TimeUnit.SECONDS).value());
        assertEquals("Bearer token-B", manager.authorize().headerValue());
        assertEquals(3, endpoint.requests());
    }

    @Test
    void refreshWhenItFailsThenTheConnectionStaysExactlyAsItWas() {
        endpoint.answersInTurn(token("token-A", 300), json(500, "{}"));
        TokenManager manager = manager("max-attempts", "1");
        Authorization a = manager.authorize();

        assertThrows(TokenEndpointUnavailableException.class, manager::refresh);

        assertSame(a, manager.authorize());
        assertEquals(a.token(), manager.cachedToken().orElseThrow());
        assertEquals(ConnectionState.ACTIVE, manager.state());
        assertEquals(2, endpoint.requests(), "the valid token is served without a new request");
    }

    @Test
    void refreshRejectedByTheServerThenTheValidTokenStaysInUse() {
        endpoint.answersInTurn(token("token-A", 300), json(401, "{\"error\":\"invalid_client\"}"));
        TokenManager manager = manager();
        Authorization a = manager.authorize();

        assertThrows(InvalidClientException.class, manager::refresh);

        assertSame(a, manager.authorize());
        assertEquals(ConnectionState.ACTIVE, manager.state());
        assertEquals("invalid_client", manager.lastFailure().orElseThrow().errorCode().orElseThrow());
        assertEquals(2, endpoint.requests());
        assertEquals(0, executor.submitted(), "no background work");
    }
}
