package com.cameloauth.token;

import static com.cameloauth.token.TokenEndpoint.json;
import static com.cameloauth.token.TokenEndpoint.token;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.cameloauth.connection.ConnectionDefinition;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/**
 * The token lifecycle of one connection, driven by a {@link MutableClock}: caching, proactive refresh, expiry,
 * eviction after a 401, events and masking. Tokens live 300 s and are refreshed 60 s before expiry (at 240 s).
 */
class TokenManagerTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    private static final Duration REFRESH_POINT = Duration.ofSeconds(240);
    private static final Duration LIFETIME = Duration.ofSeconds(300);

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private final RecordingListener listener = new RecordingListener();
    private final CountingExecutor executor = new CountingExecutor();
    private final TokenEndpoint endpoint = new TokenEndpoint(server);
    private OAuthConnections engine;

    @BeforeEach
    void start() {
        startWith("refresh-skew", "60s");
    }

    /** (Re)starts the engine with max-attempts 2, retry-backoff 100ms and these keys. */
    private void startWith(String... keyValues) {
        if (engine != null) {
            engine.close();
        }
        TestConnection connection = TestConnection.onPort(server.getPort()).with("max-attempts", "2")
                .with("retry-backoff", "100ms");
        for (int i = 0; i < keyValues.length; i += 2) {
            connection.with(keyValues[i], keyValues[i + 1]);
        }
        engine = connection.engine(clock, sleeper, executor, listener);
    }

    @AfterEach
    void stop() throws InterruptedException {
        engine.close();
        executor.close();
    }

    private TokenManager manager() {
        return engine.tokenManager(TestConnection.NAME).orElseThrow();
    }

    @Test
    void authorizeWhenNoTokenThenFetchesAndCachesIt() {
        endpoint.answers(token("token-A", 300));
        assertEquals(ConnectionState.IDLE, manager().state());

        Authorization first = manager().authorize();
        Authorization second = manager().authorize();

        assertEquals("Authorization", first.headerName());
        assertEquals("Bearer token-A", first.headerValue());
        assertSame(first, second);
        assertEquals(1, endpoint.requests());
        assertEquals(ConnectionState.ACTIVE, manager().state());
    }

    @Test
    void authorizeBeforeRefreshPointThenMakesNoRequest() {
        endpoint.answersInTurn(token("token-A", 300), token("token-B", 300));
        Authorization first = manager().authorize();

        clock.advance(REFRESH_POINT.minusMillis(1));
        for (int i = 0; i < 5; i++) {
            assertSame(first, manager().authorize());
        }

        assertEquals(1, endpoint.requests());
        assertEquals(0, executor.submitted());
    }

    @Test
    void authorizePastRefreshPointThenReturnsCurrentTokenAtOnceAndRefreshesOnceInBackground() {
        try (GatedTokenEndpoint gated = GatedTokenEndpoint.answering("token-A", "token-B")) {
            startWith("refresh-skew", "60s", "token-url", "http://127.0.0.1:" + gated.port() + TestConnection.TOKEN_PATH);
            manager().authorize();
            gated.hold();

            clock.advance(REFRESH_POINT.plusMillis(1));
            assertEquals("Bearer token-A", manager().authorize().headerValue());
            await().atMost(Duration.ofSeconds(10)).until(() -> gated.held() == 1);
            // The new token is held at the server until the test lets it go; callers keep the valid one meanwhile.
            for (int i = 0; i < 5; i++) {
                assertEquals("Bearer token-A", manager().authorize().headerValue());
            }
            assertEquals(1, gated.held());
            assertEquals(1, executor.submitted(), "one background refresh, however many callers passed the refresh point");

            gated.release();
            await().atMost(Duration.ofSeconds(10)).until(() -> !listener.ofType(TokenEvent.Type.REFRESHED).isEmpty());
            assertEquals("Bearer token-B", manager().authorize().headerValue());
            assertEquals(2, gated.requests());
        }
    }

    @Test
    void authorizeAfterExpiryThenBlocksForNewToken() {
        endpoint.answersInTurn(token("token-A", 300), token("token-B", 300));
        manager().authorize();

        clock.advance(LIFETIME);
        assertEquals(ConnectionState.EXPIRED, manager().state());
        Authorization renewed = manager().authorize();

        assertEquals("Bearer token-B", renewed.headerValue());
        assertEquals(2, endpoint.requests());
        assertEquals(0, executor.submitted(), "an expired token is replaced on the caller's thread, not in background");
        assertEquals(ConnectionState.ACTIVE, manager().state());
    }

    @Test
    void afterRejectionWithCurrentTokenThenEvictsAndFetchesOnce() {
        endpoint.answersInTurn(token("token-A", 300), token("token-B", 300));
        Authorization rejected = manager().authorize();

        Authorization replay = manager().afterRejection(rejected).orElseThrow();

        assertEquals("Bearer token-B", replay.headerValue());
        assertEquals(2, endpoint.requests());
        assertSame(replay, manager().authorize());
    }

    @Test
    void afterRejectionWithAlreadyReplacedTokenThenMakesNoRequest() {
        endpoint.answersInTurn(token("token-A", 300), token("token-B", 300), token("token-C", 300));
        Authorization old = manager().authorize();
        Authorization current = manager().afterRejection(old).orElseThrow();

        Authorization late = manager().afterRejection(old).orElseThrow();

        assertSame(current, late);
        assertEquals(2, endpoint.requests());
        assertEquals(1, listener.ofType(TokenEvent.Type.REJECTED).size());
    }

    @Test
    void refreshWhenCalledThenReplacesTheCachedToken() {
        endpoint.answersInTurn(token("token-A", 300), token("token-B", 300));
        manager().authorize();

        Token refreshed = manager().refresh();

        assertEquals("token-B", refreshed.value());
        assertEquals("Bearer token-B", manager().authorize().headerValue());
        assertEquals(2, endpoint.requests());
    }

    @Test
    void lifecycleEventsCarryFingerprintsAndNeverTheTokenValue() {
        endpoint.answersInTurn(token("token-A-value", 300), token("token-B-value", 300), token("token-C-value", 300));
        Authorization a = manager().authorize();
        Authorization b = manager().afterRejection(a).orElseThrow();
        clock.advance(LIFETIME);
        manager().authorize();

        assertEquals(List.of(TokenEvent.Type.ACQUIRED, TokenEvent.Type.REJECTED, TokenEvent.Type.REFRESHED,
                TokenEvent.Type.REPLAYED, TokenEvent.Type.REFRESHED), listener.types());
        List<TokenEvent> events = listener.events();
        assertEquals(Token.fingerprint("token-A-value"), events.get(0).fingerprint());
        assertEquals(Token.fingerprint("token-A-value"), events.get(1).fingerprint());
        assertEquals(Token.fingerprint("token-B-value"), events.get(2).fingerprint());
        assertEquals(Token.fingerprint("token-B-value"), events.get(3).fingerprint());
        assertEquals(Token.fingerprint("token-C-value"), events.get(4).fingerprint());
        assertEquals(b.token().fingerprint(), events.get(2).fingerprint());
        assertTrue(events.get(0).endedTokenRequest() && events.get(2).endedTokenRequest(), "requests have a duration");
        assertFalse(events.get(1).endedTokenRequest() || events.get(3).endedTokenRequest(), "401 and replay send none");
        for (TokenEvent e : events) {
            assertEquals(TestConnection.NAME, e.connection());
            assertFalse(e.toString().contains("-value"), () -> "event shows a token: " + e);
            assertFalse(e.toString().contains(TestConnection.CLIENT_SECRET), () -> "event shows the secret: " + e);
        }
    }

    @Test
    void toStringOfTokenAuthorizationAndDefinitionNeverShowsTokenOrSecret() {
        endpoint.answers(token("token-value-9f8e7d", 300));
        Authorization authorization = manager().authorize();
        Token token = authorization.token();
        ConnectionDefinition definition = engine.definition(TestConnection.NAME).orElseThrow();

        for (Object o : List.of(token, authorization, definition, definition.oauthClient().orElseThrow())) {
            String text = o.toString();
            assertFalse(text.contains("token-value-9f8e7d"), () -> "shows the token: " + text);
            assertFalse(text.contains(TestConnection.CLIENT_SECRET), () -> "shows the secret: " + text);
        }
        assertTrue(token.toString().contains(token.fingerprint()), "the fingerprint is there for correlation");
        assertTrue(authorization.toString().contains(token.fingerprint()));
    }

    @Test
    void backgroundRefreshWhenItFailsThenServesValidTokenAndDoesNotRetryOnEveryCall() {
        endpoint.answersInTurn(token("token-A", 300), TokenEndpoint.json(500, "{}"), TokenEndpoint.json(500, "{}"),
                token("token-B", 300));
        Authorization a = manager().authorize();

        clock.advance(REFRESH_POINT.plusMillis(1));
        assertSame(a, manager().authorize());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> executor.idle() && !listener.ofType(TokenEvent.Type.REFRESH_FAILED).isEmpty());
        assertEquals(3, endpoint.requests(), "the first token, then max-attempts (2) for the refresh");

        for (int i = 0; i < 10; i++) {
            assertSame(a, manager().authorize());
        }
        assertEquals(1, executor.submitted(), "no new refresh on every call after a failure");
        assertEquals(3, endpoint.requests());
        assertEquals(ConnectionState.ACTIVE, manager().state());

        // A little later (the engine postpones by at least 1 s) it tries again, and this time succeeds.
        clock.advance(Duration.ofSeconds(2));
        assertSame(a, manager().authorize());
        await().atMost(Duration.ofSeconds(5)).until(() -> executor.idle() && endpoint.requests() == 4);
        assertEquals("Bearer token-B", manager().authorize().headerValue());
        assertNotEquals(a, manager().authorize());
    }

    @Test
    void expiryIsComputedFromLocalReceiptTime() {
        endpoint.answers(token("token-A", 300));
        Instant before = clock.instant();

        Token t = manager().currentToken();

        assertEquals(before, t.receivedAt());
        assertEquals(before.plus(LIFETIME), t.expiresAt());
    }

    @Test
    void refreshPointByDefaultIsAFifthOfTheLifetimeBeforeExpiryLessJitter() {
        startWith();
        endpoint.answersInTurn(token("token-A", 300), token("token-B", 300));
        Authorization a = manager().authorize();

        // 300 s lifetime: refresh 60 s before expiry, plus up to 15 s (5 %) of jitter: between 225 s and 240 s.
        clock.advance(Duration.ofSeconds(225).minusMillis(1));
        assertSame(a, manager().authorize());
        assertEquals(0, executor.submitted());

        clock.advance(Duration.ofSeconds(15).plusMillis(2));
        assertSame(a, manager().authorize());
        await().atMost(Duration.ofSeconds(5)).until(() -> executor.idle() && endpoint.requests() == 2);
        assertEquals(1, executor.submitted());
    }

    @Test
    void refreshSkewLongerThanLifetimeThenRefreshesAtHalfLifeNotOnEveryCall() {
        startWith("refresh-skew", "10m");
        endpoint.answersInTurn(token("token-A", 300), token("token-B", 300));
        manager().authorize();

        clock.advance(Duration.ofSeconds(150).minusMillis(1));
        manager().authorize();
        assertEquals(0, executor.submitted());

        clock.advance(Duration.ofMillis(1));
        manager().authorize();
        await().atMost(Duration.ofSeconds(5)).until(() -> executor.idle() && endpoint.requests() == 2);
    }

    @Test
    void headerNameAndPrefixThenUsedForTheCredential() {
        startWith("header-name", "X-Access-Token", "header-prefix", "Token");
        endpoint.answers(token("token-A", 300));

        Authorization a = manager().authorize();

        assertEquals("X-Access-Token", a.headerName());
        assertEquals("Token token-A", a.headerValue());
    }

    @Test
    void probeWhenNoValidTokenThenOneRequestInTheBackground() {
        endpoint.answers(token("token-A", 300));

        manager().probe();
        manager().probe();
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.idle() && manager().cachedToken().isPresent());
        manager().probe();

        assertEquals(1, endpoint.requests());
        assertEquals(1, executor.submitted());
        assertEquals(ConnectionState.ACTIVE, manager().state());
        assertEquals(List.of(TokenEvent.Type.ACQUIRED), listener.types());
    }

    @Test
    void probeWhileTheEndpointIsBlockedThenNoRequestUntilTheBlockEnds() {
        startWith("refresh-skew", "60s", "circuit-open-duration", "30s");
        endpoint.answersInTurn(json(401, "{\"error\":\"invalid_client\"}"), token("token-A", 300));
        assertThrows(InvalidClientException.class, manager()::authorize);

        manager().probe();
        assertEquals(0, executor.submitted());
        assertEquals(1, endpoint.requests());

        clock.advance(Duration.ofSeconds(30));
        manager().probe();
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.idle() && manager().cachedToken().isPresent());
        assertEquals(2, endpoint.requests());
        assertEquals(ConnectionState.ACTIVE, manager().state());
    }
}
