package com.cameloauth.token;

import static com.cameloauth.token.TokenEndpoint.json;
import static com.cameloauth.token.TokenEndpoint.token;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.havingExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/**
 * One test per row of SECURITY.md "Token endpoint faults" (client credentials: no DPoP, no refresh token), plus
 * where the client puts its credentials and what it asks for. Every body served carries {@link #MARKER}; no
 * exception message may repeat it, nor the client secret.
 */
class TokenEndpointFaultsTest {
    private static final HeldAnswer HELD = new HeldAnswer();

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(HELD))
            .build();

    private static final String MARKER = "MARKER-7c1d-served-body-text";
    private static final int ONE_MIB = 1024 * 1024;

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private final RecordingListener listener = new RecordingListener();
    private final CountingExecutor executor = new CountingExecutor();
    private final TokenEndpoint endpoint = new TokenEndpoint(server);
    private final List<OAuthConnections> engines = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        HELD.release();
        engines.forEach(OAuthConnections::close);
        executor.close();
    }

    private TestConnection connection() {
        return TestConnection.onPort(server.getPort());
    }

    private TokenManager manager(TestConnection connection) {
        OAuthConnections engine = connection.engine(clock, sleeper, executor, listener);
        engines.add(engine);
        return engine.tokenManager(TestConnection.NAME).orElseThrow();
    }

    private TokenManager manager() {
        return manager(connection());
    }

    /** The call fails with exactly this type, naming the connection, without the secret or any served body text. */
    private static <T extends OAuthTokenException> T assertSafeFailure(Class<T> type, Executable call) {
        OAuthTokenException e = assertThrows(OAuthTokenException.class, call);
        assertEquals(type, e.getClass(), () -> "unexpected " + e);
        assertEquals(TestConnection.NAME, e.connection());
        assertTrue(e.getMessage().contains("'" + TestConnection.NAME + "'"), e::getMessage);
        for (Throwable t = e; t != null; t = t.getCause()) {
            String text = t.toString();
            assertFalse(text.contains(TestConnection.CLIENT_SECRET), () -> "shows the client secret: " + text);
            assertFalse(text.contains(MARKER), () -> "shows the response body: " + text);
        }
        return type.cast(e);
    }

    private static String html() {
        return "<html><body><h1>Sign in</h1><p>" + MARKER + "</p></body></html>";
    }

    // --- non-JSON or HTML body, empty body: reject, no body in the message

    @Test
    void tokenResponseWhenHtmlThenRejectedWithoutTheBody() {
        endpoint.answers(aResponse().withStatus(200).withHeader("Content-Type", "text/html").withBody(html()));

        InvalidTokenResponseException e = assertSafeFailure(InvalidTokenResponseException.class, manager()::authorize);

        assertEquals(200, e.httpStatus());
        assertTrue(e.getMessage().contains("not a JSON object"), e::getMessage);
        assertEquals(1, endpoint.requests(), "a broken response is not retried");
    }

    @Test
    void tokenResponseWhenNotJsonThenRejectedWithoutTheBody() {
        endpoint.answers(json(200, "access_token=" + MARKER + "&token_type=bearer"));

        assertSafeFailure(InvalidTokenResponseException.class, manager()::authorize);

        assertEquals(1, endpoint.requests());
    }

    @Test
    void tokenResponseWhenEmptyThenRejected() {
        endpoint.answers(aResponse().withStatus(200).withHeader("Content-Type", "application/json"));

        InvalidTokenResponseException e = assertSafeFailure(InvalidTokenResponseException.class, manager()::authorize);

        assertTrue(e.getMessage().contains("empty body"), e::getMessage);
        assertEquals(1, endpoint.requests());
    }

    // --- JSON without access_token or token_type: reject

    @Test
    void tokenResponseWithoutAccessTokenThenRejected() {
        endpoint.answers(json(200, "{\"token_type\":\"Bearer\",\"expires_in\":300,\"note\":\"" + MARKER + "\"}"));

        TokenManager manager = manager();

        InvalidTokenResponseException e = assertSafeFailure(InvalidTokenResponseException.class, manager::authorize);

        assertTrue(e.getMessage().contains("no access_token"), e::getMessage);
        assertEquals(1, endpoint.requests(), "a broken response is not retried");
        assertEquals(ConnectionState.FAILED, manager.state(), "the engine that asked saw a response it cannot use");
        assertEquals(Optional.of(e), manager.lastFailure());
    }

    @Test
    void tokenResponseWithoutTokenTypeThenRejectedWithoutTheToken() {
        endpoint.answers(json(200, "{\"access_token\":\"" + MARKER + "\",\"expires_in\":300}"));

        InvalidTokenResponseException e = assertSafeFailure(InvalidTokenResponseException.class, manager()::authorize);

        assertTrue(e.getMessage().contains("no token_type"), e::getMessage);
        assertEquals(1, endpoint.requests());
    }

    // --- token_type in any case accepted; DPoP only when configured

    @ParameterizedTest
    @ValueSource(strings = { "bearer", "Bearer", "BEARER" })
    void tokenTypeBearerInAnyCaseThenAccepted(String tokenType) {
        endpoint.answers(json(200, "{\"access_token\":\"tok-1\",\"token_type\":\"" + tokenType + "\",\"expires_in\":300}"));

        Authorization a = manager().authorize();

        assertEquals("Bearer tok-1", a.headerValue());
        assertEquals(tokenType, a.token().type());
        assertEquals(1, endpoint.requests());
    }

    @Test
    void tokenTypeDpopWhenDpopNotConfiguredThenRejected() {
        endpoint.answers(json(200, "{\"access_token\":\"" + MARKER + "\",\"token_type\":\"DPoP\",\"expires_in\":300}"));

        InvalidTokenResponseException e = assertSafeFailure(InvalidTokenResponseException.class, manager()::authorize);

        assertTrue(e.getMessage().contains("DPoP is not configured"), e::getMessage);
        assertEquals(1, endpoint.requests());
    }

    // --- expires_in

    @Test
    void expiresInMissingThenDefaultLifetimeUsed() {
        endpoint.answers(json(200, "{\"access_token\":\"tok-1\",\"token_type\":\"Bearer\"}"));

        Token t = manager(connection().with("default-expires-in", "7m")).currentToken();

        assertEquals(Duration.ofMinutes(7), Duration.between(t.receivedAt(), t.expiresAt()));
        assertEquals(1, endpoint.requests());
    }

    @Test
    void expiresInAsStringThenAccepted() {
        endpoint.answers(json(200, "{\"access_token\":\"tok-1\",\"token_type\":\"Bearer\",\"expires_in\":\"3600\"}"));

        Token t = manager().currentToken();

        assertEquals(Duration.ofSeconds(3600), Duration.between(t.receivedAt(), t.expiresAt()));
        assertEquals(1, endpoint.requests());
    }

    @Test
    void expiresInNotANumberThenRejected() {
        endpoint.answers(json(200, "{\"access_token\":\"tok-1\",\"token_type\":\"Bearer\",\"expires_in\":\"" + MARKER + "\"}"));

        InvalidTokenResponseException e = assertSafeFailure(InvalidTokenResponseException.class, manager()::authorize);

        assertTrue(e.getMessage().contains("expires_in"), e::getMessage);
        assertEquals(1, endpoint.requests());
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, -1, -3600 })
    void expiresInZeroOrNegativeThenTokenUsedOnceAndFetchedAgainNoSoonerThanMinFetchInterval(int expiresIn) {
        endpoint.answersInTurn(token("tok-1", expiresIn), token("tok-2", expiresIn));
        TokenManager manager = manager(connection().with("min-fetch-interval", "2s"));

        Authorization first = manager.authorize();
        Authorization second = manager.authorize();

        assertEquals("Bearer tok-1", first.headerValue());
        assertEquals("Bearer tok-2", second.headerValue());
        assertEquals(2, endpoint.requests(), "a token without a usable lifetime is not cached");
        assertEquals(List.of(Duration.ofSeconds(2)), sleeper.waits(), "the second request waited min-fetch-interval");
        assertTrue(manager.cachedToken().isEmpty());
    }

    @Test
    void expiresInTenYearsThenClampedToMaxExpiresIn() {
        endpoint.answers(token("tok-1", 10L * 365 * 24 * 3600));

        Token t = manager(connection().with("max-expires-in", "12h")).currentToken();

        assertEquals(Duration.ofHours(12), Duration.between(t.receivedAt(), t.expiresAt()));
        assertEquals(1, endpoint.requests());
    }

    /** Number.longValue() of a huge BigInteger wraps (2^64 becomes 0, "use once"): huge means the maximum. */
    @ParameterizedTest
    @ValueSource(strings = { "1e30", "1E+30", "1e300", "1000000000000000000000000000000", "18446744073709551616",
            "18446744073709551615", "9223372036854775808", "9223372036854775807", "\"99999999999999999999\"",
            "1.7976931348623157E308" })
    void expiresInBeyondALongThenClampedToMaxExpiresIn(String expiresIn) {
        endpoint.answers(json(200, "{\"access_token\":\"tok-1\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}"));
        TokenManager manager = manager(connection().with("max-expires-in", "12h"));

        Token t = manager.currentToken();

        assertEquals(Duration.ofHours(12), Duration.between(t.receivedAt(), t.expiresAt()));
        assertEquals(Optional.of(t), manager.cachedToken(), "cached, not used once");
        assertEquals(1, endpoint.requests());
    }

    @ParameterizedTest
    @ValueSource(strings = { "-1e30", "-1000000000000000000000000000000", "-18446744073709551616", "\"-99999999999999999999\"",
            "-1.7976931348623157E308", "0.5", "-0.5" })
    void expiresInHugeNegativeOrBelowOneSecondThenUsedOnce(String expiresIn) {
        endpoint.answers(json(200, "{\"access_token\":\"tok-1\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}"));
        TokenManager manager = manager();

        Token t = manager.currentToken();

        assertEquals(t.receivedAt(), t.expiresAt());
        assertTrue(manager.cachedToken().isEmpty());
        assertEquals(1, endpoint.requests());
    }

    /** A fraction of a second is not a lifetime a server means: rounded down to whole seconds. */
    @ParameterizedTest
    @ValueSource(strings = { "3600.5", "3600.999", "\"3600.5\"", "3.6005e3" })
    void expiresInNotIntegralThenRoundedDown(String expiresIn) {
        endpoint.answers(json(200, "{\"access_token\":\"tok-1\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}"));

        Token t = manager().currentToken();

        assertEquals(Duration.ofSeconds(3600), Duration.between(t.receivedAt(), t.expiresAt()));
        assertEquals(1, endpoint.requests());
    }

    // --- body larger than 1 MiB: reject

    @Test
    void tokenResponseLargerThanOneMibThenRejected() {
        endpoint.answers(json(200, padded(TokenEndpoint.tokenJson(MARKER, 300), ONE_MIB + 1)));

        InvalidTokenResponseException e = assertSafeFailure(InvalidTokenResponseException.class, manager()::authorize);

        assertTrue(e.getMessage().contains("larger than 1 MiB"), e::getMessage);
        assertEquals(200, e.httpStatus(), "the status of the answer, though its body was refused");
        assertEquals(1, endpoint.requests());
    }

    @Test
    void tokenResponseLargerThanOneMibWithoutContentLengthThenRejected() {
        endpoint.answers(json(200, padded(TokenEndpoint.tokenJson(MARKER, 300), ONE_MIB + 1)).withChunkedDribbleDelay(4, 20));

        InvalidTokenResponseException e = assertSafeFailure(InvalidTokenResponseException.class, manager()::authorize);

        assertTrue(e.getMessage().contains("larger than 1 MiB"), e::getMessage);
        assertEquals(200, e.httpStatus());
        assertEquals(1, endpoint.requests());
    }

    /**
     * HttpClient reads the rest of a body when its stream is closed, to reuse the connection: over the cap the request
     * must be aborted instead, or a body that never ends is read forever. A plain socket server counts what it wrote.
     */
    @ParameterizedTest
    @ValueSource(strings = { "Transfer-Encoding: chunked", "Content-Length: 268435456" })
    void tokenResponseThatNeverEndsThenAbortedAtTheCapNotDrained(String framing) throws Exception {
        long all = 256L * ONE_MIB;
        boolean chunked = framing.startsWith("Transfer");
        try (RawHttpServer raw = new RawHttpServer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + framing
                + "\r\n\r\n", chunked ? RawHttpServer.chunkedFlood(all) : RawHttpServer.flood(all))) {
            TokenManager manager = manager(TestConnection.onPort(raw.port()));

            InvalidTokenResponseException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertSafeFailure(InvalidTokenResponseException.class, manager::authorize), "hang guard");

            assertTrue(e.getMessage().contains("larger than 1 MiB"), e::getMessage);
            assertTrue(raw.clientClosed().await(10, TimeUnit.SECONDS), "the client closed the connection");
            assertTrue(raw.bodyBytesWritten() < all / 16, "the server wrote " + raw.bodyBytesWritten()
                    + " bytes of " + all + ": the client drained the body instead of aborting");
            assertEquals(1, raw.requests(), "a body too large is not retried");
        }
    }

    @Test
    void tokenResponseOfExactlyOneMibThenAccepted() {
        endpoint.answers(json(200, padded(TokenEndpoint.tokenJson("tok-1", 300), ONE_MIB)));

        assertEquals("tok-1", manager().currentToken().value());
        assertEquals(1, endpoint.requests());
    }

    /** The JSON followed by spaces (still valid JSON) up to exactly {@code bytes} bytes. */
    private static String padded(String json, int bytes) {
        return json + " ".repeat(bytes - json.getBytes(StandardCharsets.UTF_8).length);
    }

    // --- slow response past the read timeout: fail the attempt, retry within the bound

    /**
     * The first answer is held at the server until the test ends, so the first attempt times out whatever the
     * machine's pace; the read timeout is long enough for the second answer on a busy machine.
     */
    @Test
    void slowResponsePastReadTimeoutThenAttemptFailsAndIsRetried() {
        HELD.hold();
        endpoint.answersInTurn(token("tok-slow", 300).withTransformers(HeldAnswer.NAME), token("tok-2", 300));

        // request-timeout above the gate's 30 s: only the read timeout can end the first attempt
        Token t = manager(connection().with("read-timeout", "2s").with("request-timeout", "60s")).currentToken();

        assertEquals("tok-2", t.value());
        HELD.release(); // WireMock journals a request once it has answered it
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(2, endpoint.requests()));
        assertEquals(1, sleeper.waits().size(), "one backoff between the two attempts");
        assertEquals(List.of(TokenEvent.Type.ACQUIRED), listener.types(), "the retried attempt is no failure");
    }

    @Test
    void slowResponsesPastReadTimeoutThenMaxAttemptsThenUnavailable() {
        endpoint.answers(token(MARKER, 300).withFixedDelay(1500));
        TokenManager manager = manager(connection().with("read-timeout", "300ms").with("max-attempts", "2"));

        TokenEndpointUnavailableException e = assertSafeFailure(TokenEndpointUnavailableException.class, manager::authorize);

        assertTrue(e.getMessage().contains("read-timeout"), e::getMessage);
        assertEquals(0, e.httpStatus());
        assertEquals(2, endpoint.requests());
    }

    // --- connection reset: retried

    @Test
    void connectionResetThenRetried() {
        endpoint.answersInTurn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), token("tok-2", 300));

        Token t = manager().currentToken();

        assertEquals("tok-2", t.value());
        assertEquals(2, endpoint.requests());
    }

    @Test
    void connectionResetOnEveryAttemptThenUnavailableAfterMaxAttempts() {
        endpoint.answers(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        assertSafeFailure(TokenEndpointUnavailableException.class, manager(connection().with("max-attempts", "3"))::authorize);

        assertEquals(3, endpoint.requests());
    }

    // --- 429 or 503 with Retry-After: wait as told (capped, with jitter), callers fail fast meanwhile

    @ParameterizedTest
    @ValueSource(ints = { 429, 503 })
    void retryAfterThenCallersFailFastUntilTheWaitEnds(int status) {
        endpoint.answersInTurn(aResponse().withStatus(status).withHeader("Retry-After", "120").withBody(html()),
                token("tok-1", 300));
        TokenManager manager = manager();

        TokenEndpointUnavailableException e = assertSafeFailure(TokenEndpointUnavailableException.class, manager::authorize);
        assertEquals(Optional.of(Duration.ofSeconds(120)), e.retryAfter());
        assertEquals(status, e.httpStatus());
        assertEquals(1, endpoint.requests(), "no retry against the server's wish");
        assertEquals(ConnectionState.UNAVAILABLE, manager.state());

        clock.advance(Duration.ofSeconds(119));
        TokenEndpointUnavailableException fast = assertSafeFailure(TokenEndpointUnavailableException.class, manager::authorize);
        assertTrue(fast.retryAfter().orElseThrow().compareTo(Duration.ZERO) > 0, "says how much longer to wait");
        assertEquals(1, endpoint.requests(), "failing fast makes no request");

        // Past 120 s plus the most jitter the engine adds (a tenth).
        clock.advance(Duration.ofSeconds(13));
        assertEquals("tok-1", manager.currentToken().value());
        assertEquals(2, endpoint.requests());
        assertEquals(ConnectionState.ACTIVE, manager.state());
    }

    @Test
    void retryAfterAsHttpDateThenHonoured() {
        String at = DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().plusSeconds(90).atZone(ZoneOffset.UTC));
        endpoint.answers(aResponse().withStatus(503).withHeader("Retry-After", at));

        TokenEndpointUnavailableException e = assertSafeFailure(TokenEndpointUnavailableException.class, manager()::authorize);

        assertEquals(Optional.of(Duration.ofSeconds(90)), e.retryAfter());
        assertEquals(1, endpoint.requests());
    }

    @Test
    void retryAfterLongerThanMaxRetryAfterThenCapped() {
        endpoint.answersInTurn(aResponse().withStatus(429).withHeader("Retry-After", "3600"), token("tok-1", 300));
        TokenManager manager = manager(connection().with("max-retry-after", "60s"));

        TokenEndpointUnavailableException e = assertSafeFailure(TokenEndpointUnavailableException.class, manager::authorize);
        assertEquals(Optional.of(Duration.ofSeconds(3600)), e.retryAfter(), "the exception reports what the server said");

        clock.advance(Duration.ofSeconds(59));
        assertSafeFailure(TokenEndpointUnavailableException.class, manager::authorize);
        assertEquals(1, endpoint.requests());

        clock.advance(Duration.ofSeconds(7)); // 66 s: the 60 s cap plus at most a tenth of jitter
        assertEquals("tok-1", manager.currentToken().value());
        assertEquals(2, endpoint.requests());
    }

    /** Too large for a long, or for a Duration in milliseconds: capped like any long wait, never an overflow. */
    @ParameterizedTest
    @ValueSource(strings = { "99999999999999999999", "9223372036854775807", "9223372036854776", "31536000000" })
    void retryAfterHugeThenCappedByMaxRetryAfter(String retryAfter) {
        endpoint.answersInTurn(aResponse().withStatus(503).withHeader("Retry-After", retryAfter), token("tok-1", 300));
        TokenManager manager = manager(connection().with("max-retry-after", "60s"));

        TokenEndpointUnavailableException e = assertSafeFailure(TokenEndpointUnavailableException.class, manager::authorize);
        assertTrue(e.retryAfter().orElseThrow().compareTo(Duration.ofSeconds(60)) > 0, () -> "" + e.retryAfter());
        assertEquals(1, endpoint.requests(), "no retry against the server's wish");
        assertEquals(ConnectionState.UNAVAILABLE, manager.state());

        clock.advance(Duration.ofSeconds(59));
        assertTrue(assertSafeFailure(TokenEndpointUnavailableException.class, manager::authorize).isFailFast());
        assertEquals(1, endpoint.requests());

        clock.advance(Duration.ofSeconds(7)); // 66 s: the 60 s cap plus at most a tenth of jitter
        assertEquals("tok-1", manager.currentToken().value());
        assertEquals(2, endpoint.requests());
    }

    /** A wait of nothing is no reason to skip counting failures: the circuit still opens at the threshold. */
    @ParameterizedTest
    @ValueSource(strings = { "0", "-5", "Thu, 01 Jan 2015 00:00:00 GMT" })
    void retryAfterZeroNegativeOrPastThenCircuitStillOpensAfterThreshold(String retryAfter) {
        endpoint.answers(aResponse().withStatus(503).withHeader("Retry-After", retryAfter).withBody(html()));
        TokenManager manager = manager(connection().with("max-attempts", "1").with("circuit-failure-threshold", "3")
                .with("circuit-open-duration", "30s"));

        for (int i = 0; i < 3; i++) {
            assertFalse(assertSafeFailure(TokenEndpointUnavailableException.class, manager::authorize).isFailFast());
        }
        assertEquals(3, endpoint.requests());

        TokenEndpointUnavailableException fast = assertSafeFailure(TokenEndpointUnavailableException.class, manager::authorize);
        assertTrue(fast.getMessage().contains("circuit open"), fast::getMessage);
        assertEquals(3, endpoint.requests(), "an open circuit makes no request");
        assertEquals(ConnectionState.UNAVAILABLE, manager.state());
        assertTrue(listener.types().contains(TokenEvent.Type.BLOCKED));
    }

    /**
     * An Error inside the HTTP layer (out of memory, a stack overflow) is not a token endpoint fault: it leaves the
     * fetcher as itself, neither wrapped nor retried nor counted towards the circuit. (What TokenManager does with it
     * is TokenManagerTest's.)
     */
    @Test
    void errorInsideTheHttpLayerPropagatesAsItselfWithoutRetryOrCircuit() {
        StackOverflowError error = new StackOverflowError("thrown inside the transport");
        java.util.concurrent.atomic.AtomicInteger sends = new java.util.concurrent.atomic.AtomicInteger();
        TokenTransport failing = (request, deadline) -> {
            sends.incrementAndGet();
            throw error;
        };
        var definition = connection().with("max-attempts", "3").with("circuit-failure-threshold", "1").definitions()
                .get(TestConnection.NAME);
        EndpointGuard guard = new EndpointGuard(definition.name(), definition.resilience(), clock);
        TokenFetcher fetcher = new TokenFetcher(new TokenEndpointClient(definition,
                new com.cameloauth.token.grant.ClientCredentialsTokenGrant(), clock, failing), guard, definition.resilience(),
                sleeper);

        StackOverflowError thrown = assertThrows(StackOverflowError.class, fetcher::fetch);

        assertTrue(thrown == error, "the same Error, not wrapped");
        assertEquals(1, sends.get(), "an Error is not retried");
        assertEquals(EndpointGuard.Block.NONE, guard.block(), "an Error does not open the circuit");
        assertEquals(List.of(), sleeper.waits());
        assertEquals(0, endpoint.requests());
    }

    // --- other 5xx: bounded exponential backoff with jitter; circuit opens after N failures

    @ParameterizedTest
    @ValueSource(ints = { 500, 502, 504 })
    void serverErrorThenMaxAttemptsWithGrowingBackoffThenUnavailable(int status) {
        endpoint.answers(aResponse().withStatus(status).withBody(html()));
        TokenManager manager = manager(connection().with("max-attempts", "4").with("retry-backoff", "100ms"));

        TokenEndpointUnavailableException e = assertSafeFailure(TokenEndpointUnavailableException.class, manager::authorize);

        assertEquals(status, e.httpStatus());
        assertEquals(4, endpoint.requests());
        List<Duration> waits = sleeper.waits();
        assertEquals(3, waits.size(), "a backoff between attempts, none after the last");
        // Attempt n waits between half and all of 100 ms * 2^(n-1).
        for (int i = 0; i < waits.size(); i++) {
            long step = 100L << i;
            long ms = waits.get(i).toMillis();
            assertTrue(ms >= step / 2 && ms <= step, "wait " + (i + 1) + " was " + ms + " ms, outside [" + step / 2 + ", " + step + "]");
            if (i > 0) {
                assertTrue(ms >= waits.get(i - 1).toMillis(), "waits do not shrink: " + waits);
            }
        }
        assertTrue(waits.get(2).compareTo(waits.get(0)) > 0, "waits grow: " + waits);
    }

    @Test
    void firstRequestFailsBeforeTheCircuitOpensThenStateUnavailableUntilASuccess() {
        endpoint.answersInTurn(aResponse().withStatus(500).withBody(html()), token("tok-1", 300));
        TokenManager manager = manager(connection().with("max-attempts", "1"));

        TokenEndpointUnavailableException e = assertSafeFailure(TokenEndpointUnavailableException.class, manager::authorize);

        assertEquals(ConnectionState.UNAVAILABLE, manager.state(), "not IDLE: the last request failed");
        assertEquals(Optional.of(e), manager.lastFailure());
        assertEquals(1, endpoint.requests());
        assertEquals("tok-1", manager.currentToken().value());
        assertEquals(2, endpoint.requests());
        assertEquals(ConnectionState.ACTIVE, manager.state());
        assertEquals(Optional.empty(), manager.lastFailure());
    }

    @Test
    void serverErrorsThenCircuitOpensAndCallersFailFastUntilOneProbe() {
        endpoint.answers(aResponse().withStatus(500).withBody(html()));
        TokenManager manager = manager(connection().with("max-attempts", "1").with("circuit-failure-threshold", "3")
                .with("circuit-open-duration", "30s"));

        for (int i = 0; i < 3; i++) {
            TokenEndpointUnavailableException e = assertSafeFailure(TokenEndpointUnavailableException.class, manager::authorize);
            assertEquals(500, e.httpStatus());
        }
        assertEquals(3, endpoint.requests());
        assertEquals(ConnectionState.UNAVAILABLE, manager.state());

        for (int i = 0; i < 5; i++) {
            TokenEndpointUnavailableException fast = assertSafeFailure(TokenEndpointUnavailableException.class, manager::authorize);
            assertTrue(fast.getMessage().contains("circuit open"), fast::getMessage);
        }
        clock.advance(Duration.ofSeconds(30).minusMillis(1));
        assertSafeFailure(TokenEndpointUnavailableException.class, manager::authorize);
        assertEquals(3, endpoint.requests(), "an open circuit makes no request");

        clock.advance(Duration.ofMillis(1));
        assertSafeFailure(TokenEndpointUnavailableException.class, manager::authorize);
        assertEquals(4, endpoint.requests(), "one probe after circuit-open-duration");
        assertSafeFailure(TokenEndpointUnavailableException.class, manager::authorize);
        assertEquals(4, endpoint.requests(), "the failed probe opens the circuit again");
        assertTrue(listener.types().contains(TokenEvent.Type.BLOCKED));
    }

    @Test
    void circuitOpenWhenProbeSucceedsThenClosesAgain() {
        endpoint.answersInTurn(aResponse().withStatus(500), aResponse().withStatus(500), token("tok-1", 300));
        TokenManager manager = manager(connection().with("max-attempts", "1").with("circuit-failure-threshold", "2")
                .with("circuit-open-duration", "30s"));
        assertSafeFailure(TokenEndpointUnavailableException.class, manager::authorize);
        assertSafeFailure(TokenEndpointUnavailableException.class, manager::authorize);
        assertSafeFailure(TokenEndpointUnavailableException.class, manager::authorize);
        assertEquals(2, endpoint.requests());

        clock.advance(Duration.ofSeconds(30));

        assertEquals("tok-1", manager.currentToken().value());
        assertEquals(3, endpoint.requests());
        assertEquals(ConnectionState.ACTIVE, manager.state());
    }

    // --- 3xx: do not follow; reject

    @ParameterizedTest
    @ValueSource(ints = { 301, 302, 303, 307, 308 })
    void redirectThenNotFollowedAndRejected(int status) {
        server.stubFor(post(urlPathEqualTo("/elsewhere")).willReturn(token("tok-elsewhere", 300)));
        endpoint.answers(aResponse().withStatus(status)
                .withHeader("Location", "http://127.0.0.1:" + server.getPort() + "/elsewhere").withBody(html()));

        InvalidTokenResponseException e = assertSafeFailure(InvalidTokenResponseException.class, manager()::authorize);

        assertEquals(status, e.httpStatus());
        assertTrue(e.getMessage().contains("redirect"), e::getMessage);
        assertEquals(1, endpoint.requests());
        assertEquals(0, server.countRequestsMatching(anyRequestedFor(urlPathEqualTo("/elsewhere")).build()).getCount());
    }

    // --- 400: rejected with the OAuth error code, no retry

    @Test
    void invalidScopeThenRejectedWithErrorCodeAndNotRetried() {
        endpoint.answers(json(400, "{\"error\":\"invalid_scope\",\"trace\":\"" + MARKER + "\"}"));
        TokenManager manager = manager(connection().with("scopes", "admin"));

        TokenRequestRejectedException e = assertSafeFailure(TokenRequestRejectedException.class, manager::authorize);

        assertEquals(Optional.of("invalid_scope"), e.errorCode());
        assertEquals(400, e.httpStatus());
        assertTrue(e.getMessage().contains("check scopes"), e::getMessage);
        assertEquals(1, endpoint.requests());
        assertEquals(ConnectionState.FAILED, manager.state());
    }

    /**
     * RFC 6749 5.2 meant error_description for the client developer, so the message keeps it, but shortened, on
     * one line, and with the secret masked should the server echo it.
     */
    @Test
    void errorDescriptionThenShortenedOnOneLineAndSecretMasked() {
        String description = "client " + TestConnection.CLIENT_SECRET + " may not ask for that\nINJECTED LOG LINE "
                + "x".repeat(400);
        endpoint.answers(json(400, "{\"error\":\"invalid_request\",\"error_description\":\""
                + description.replace("\n", "\\n") + "\"}"));

        TokenRequestRejectedException e = assertSafeFailure(TokenRequestRejectedException.class, manager()::authorize);

        assertTrue(e.getMessage().contains("client ****** may not ask for that"), e::getMessage);
        assertFalse(e.getMessage().contains("\n"), "no line breaks from the server");
        assertFalse(e.getMessage().contains("x".repeat(300)), "description is shortened");
        assertEquals(1, endpoint.requests());
    }

    // --- 401 invalid_client (and Keycloak's unauthorized_client): FAILED, event, no retry loop

    @ParameterizedTest
    @ValueSource(strings = { "invalid_client", "unauthorized_client" })
    void clientRejectedThenFailedWithoutRetryAndNextCallFailsFast(String error) {
        endpoint.answers(json(401, "{\"error\":\"" + error + "\",\"error_description\":\"Invalid client or Invalid client"
                + " credentials\",\"trace\":\"" + MARKER + "\"}"));
        TokenManager manager = manager();

        InvalidClientException e = assertSafeFailure(InvalidClientException.class, manager::authorize);
        assertEquals(Optional.of(error), e.errorCode());
        assertEquals(401, e.httpStatus());
        assertTrue(e.getMessage().contains("client-secret"), "says what to check: " + e.getMessage());
        assertEquals(1, endpoint.requests());

        InvalidClientException fast = assertSafeFailure(InvalidClientException.class, manager::authorize);
        assertEquals(401, fast.httpStatus());
        assertEquals(1, endpoint.requests(), "no request while the client is rejected");
        assertEquals(ConnectionState.FAILED, manager.state());
        assertEquals(List.of(TokenEvent.Type.FAILED, TokenEvent.Type.BLOCKED), listener.types(), "the fail-fast adds no event");
        assertTrue(fast.isFailFast());
    }

    @Test
    void unauthorizedWithoutBodyThenInvalidClient() {
        endpoint.answers(aResponse().withStatus(401));

        InvalidClientException e = assertSafeFailure(InvalidClientException.class, manager()::authorize);

        assertEquals(401, e.httpStatus());
        assertEquals(1, endpoint.requests());
    }

    // --- what the request carries

    @Test
    void clientSecretBasicThenCredentialsInAuthorizationHeaderOnly() {
        endpoint.answers(token("tok-1", 300));

        manager(connection().with("client-auth", "client_secret_basic")).authorize();

        String basic = Base64.getEncoder().encodeToString((TestConnection.CLIENT_ID + ":" + TestConnection.CLIENT_SECRET)
                .getBytes(StandardCharsets.UTF_8));
        server.verify(1, postRequestedFor(urlPathEqualTo(TestConnection.TOKEN_PATH))
                .withHeader("Authorization", equalTo("Basic " + basic))
                .withFormParam("grant_type", equalTo("client_credentials"))
                .withoutFormParam("client_secret"));
    }

    @Test
    void clientSecretBasicByDefault() {
        endpoint.answers(token("tok-1", 300));

        manager().authorize();

        server.verify(1, postRequestedFor(urlPathEqualTo(TestConnection.TOKEN_PATH))
                .withHeader("Authorization", matching("Basic .+"))
                .withoutFormParam("client_secret"));
    }

    @Test
    void clientSecretPostThenCredentialsInFormBodyOnly() {
        endpoint.answers(token("tok-1", 300));

        manager(connection().with("client-auth", "client_secret_post")).authorize();

        server.verify(1, postRequestedFor(urlPathEqualTo(TestConnection.TOKEN_PATH))
                .withoutHeader("Authorization")
                .withFormParam("grant_type", equalTo("client_credentials"))
                .withFormParam("client_id", equalTo(TestConnection.CLIENT_ID))
                .withFormParam("client_secret", equalTo(TestConnection.CLIENT_SECRET)));
    }

    @Test
    void scopesAudienceAndResourcesThenSentAsConfigured() {
        endpoint.answers(token("tok-1", 300));

        Token t = manager(connection().with("scopes", "orders:read, orders:write")
                .with("audience", "https://api.example.com")
                .with("resource", "https://api.example.com/orders https://api.example.com/invoices")).currentToken();

        server.verify(1, postRequestedFor(urlPathEqualTo(TestConnection.TOKEN_PATH))
                .withFormParam("scope", equalTo("orders:read orders:write"))
                .withFormParam("audience", equalTo("https://api.example.com"))
                .withFormParam("resource", havingExactly("https://api.example.com/orders", "https://api.example.com/invoices")));
        assertEquals(List.of("orders:read", "orders:write"), t.scopes(), "no scope in the response: the requested ones");
    }

    @Test
    void noScopesConfiguredThenNoneRequested() {
        endpoint.answers(token("tok-1", 300));

        manager().authorize();

        server.verify(1, postRequestedFor(urlPathEqualTo(TestConnection.TOKEN_PATH))
                .withoutFormParam("scope").withoutFormParam("audience").withoutFormParam("resource"));
    }
}
