package com.cameloauth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.token.FuzzInputs.Answer;
import com.cameloauth.token.grant.ClientCredentialsTokenGrant;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;

/**
 * Fuzzes the token response handling (issue 8 section 5): arbitrary status codes (100..599), headers (Retry-After,
 * Content-Type, Content-Length lies) and bodies (random bytes, JSON with random types in access_token, token_type,
 * expires_in, error, error_description, refresh_token and scope, huge numbers, deep nesting, unicode, control
 * characters) and transport failures go through {@link TokenEndpointClient} over a fake {@link TokenTransport},
 * without a socket. The property: a Token comes out, or an {@link OAuthTokenException}; never anything else; no
 * message carries the secret, the access or refresh token, text from a part of the answer that is never shown, or a
 * control character.
 * <p>
 * Every try has its own seed, printed on failure; {@code -Dfuzz.seed=S -Dfuzz.tries=1} replays it. The normal test
 * run makes {@value #DEFAULT_TRIES} tries; the long run is
 * {@code ./mvnw -o -B test -Dtest=TokenResponseFuzzTest -Dfuzz.tries=1000000}.
 * <p>
 * The same inputs also feed a Jazzer fuzz test, whose choices the fuzzer steers by coverage:
 * {@code JAZZER_FUZZ=1 ./mvnw -o -B test -Dtest='TokenResponseFuzzTest#coverageGuided'} (5 minutes; a finding is
 * written as a crash file: turn it into an example test below).
 */
class TokenResponseFuzzTest {
    static final int DEFAULT_TRIES = 3000;

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final ConnectionDefinition connection = TestConnection.onPort(1).with("max-expires-in", "12h")
            .with("max-retry-after", "5m").definitions().get(TestConnection.NAME);

    @Test
    void tokenResponseGivesATokenOrADocumentedExceptionAndNeverLeaks() {
        long tries = Long.getLong("fuzz.tries", DEFAULT_TRIES);
        long firstSeed = Long.getLong("fuzz.seed", System.nanoTime());
        long start = System.nanoTime();
        int tokens = 0;
        for (long i = 0; i < tries; i++) {
            long seed = firstSeed + i * 0x9E3779B97F4A7C15L;
            Answer answer = FuzzInputs.answer(FuzzEntropy.of(new java.util.SplittableRandom(seed)));
            try {
                tokens += check(answer) ? 1 : 0;
            } catch (AssertionError e) {
                throw new AssertionError("try " + i + " failed; replay with -Dfuzz.seed=" + seed + " -Dfuzz.tries=1: "
                        + e.getMessage() + "\n  input: " + answer, e);
            }
        }
        System.out.printf("TokenResponseFuzzTest: %d inputs (%d tokens, %d exceptions) in %.1f s, first seed %d%n", tries,
                tokens, tries - tokens, (System.nanoTime() - start) / 1e9, firstSeed);
    }

    /**
     * Coverage-guided, only with JAZZER_FUZZ=1: in a normal run Jazzer would only replay stored inputs, and its agent
     * (installed for that) costs about a minute of instrumentation on this machine.
     */
    @FuzzTest(maxDuration = "5m")
    @EnabledIfEnvironmentVariable(named = "JAZZER_FUZZ", matches = ".+")
    void coverageGuided(FuzzedDataProvider data) {
        check(FuzzInputs.answer(FuzzEntropy.of(data)));
    }

    // --- regression examples: what the fuzzer found, kept

    /** Found by the fuzzer: the Content-Type header was repeated as is, line breaks and all. */
    @Test
    void contentTypeIsNotEchoedRawIntoTheMessage() {
        check(new Answer(200, List.<String[]>of(new String[] { "Content-Type", "text/html\n" + FuzzInputs.HIDDEN + "-long" }),
                "<html>" + FuzzInputs.HIDDEN + "</html>", null));
    }

    /** Found by the fuzzer: an access_token of control characters (a CR LF, say) was accepted as a token. */
    @Test
    void accessTokenWithControlCharactersIsRejected() {
        for (String value : List.of("\\u001f\\u0009\\u0001abc", "tok\\r\\nX-Injected: 1", "tok\\u00e9")) {
            assertFalse(check(new Answer(200, List.of(), "{\"access_token\":\"" + value + "\",\"token_type\":\"Bearer\"}",
                    null)), value);
        }
    }

    /** Found by the fuzzer: Nimbus threw IllegalArgumentException for a scope of a line break and U+2028. */
    @Test
    void scopeNimbusCannotParseIsAnInvalidResponse() {
        assertFalse(check(new Answer(200, List.of(), "{\"access_token\":\"tok-1\",\"token_type\":\"Bearer\","
                + "\"scope\":\"\\r\\u2028\"}", null)));
    }

    @Test
    void transportFailuresBecomeOAuthTokenExceptions() {
        for (IOException failure : List.of(new SocketTimeoutException("Read timed out"), new ConnectException("refused"),
                new ConnectTimeoutException("connect timed out"), new BoundedHttpSender.BodyTooLargeException(200),
                new BoundedHttpSender.DeadlineExceededException(Duration.ofSeconds(30), null), new IOException((String) null))) {
            assertFalse(check(new Answer(0, List.of(), null, failure)));
        }
    }

    /** Returns whether a token came out; fails on anything but a token or a clean OAuthTokenException. */
    private boolean check(Answer answer) {
        TokenTransport transport = (request, deadline) -> {
            if (answer.failure() != null) {
                throw answer.failure();
            }
            HTTPResponse response = new HTTPResponse(answer.status());
            for (String[] h : answer.headers()) {
                response.setHeader(h[0], h[1]);
            }
            response.setBody(answer.body());
            return response;
        };
        TokenEndpointClient client = new TokenEndpointClient(connection, new ClientCredentialsTokenGrant(), clock, transport);
        try {
            Token token = client.requestToken();
            assertNotNull(token.value());
            assertFalse(token.value().isBlank());
            assertTrue(token.value().chars().allMatch(c -> c >= 0x20 && c < 0x7f), "a value an HTTP header can carry");
            assertFalse(token.expiresAt().isBefore(token.receivedAt()), "no negative lifetime");
            assertTrue(Duration.between(token.receivedAt(), token.expiresAt()).compareTo(Duration.ofHours(12)) <= 0,
                    "never beyond max-expires-in");
            if (token.value().length() >= 8) { // a shorter value may occur in any text by chance
                assertFalse(token.toString().contains(token.value()), "toString shows no token");
            }
            return true;
        } catch (OAuthTokenException e) {
            assertEquals(TestConnection.NAME, e.connection());
            for (Throwable t = e; t instanceof OAuthTokenException; t = t.getCause()) {
                String text = String.valueOf(t.getMessage());
                assertFalse(text.contains(TestConnection.CLIENT_SECRET), () -> "secret in " + text);
                assertFalse(text.contains(FuzzInputs.ACCESS_TOKEN), () -> "access token in " + text);
                assertFalse(text.contains(FuzzInputs.REFRESH_TOKEN), () -> "refresh token in " + text);
                assertFalse(text.contains(FuzzInputs.HIDDEN), () -> "text of the answer in " + text);
                assertFalse(text.chars().anyMatch(c -> c < 0x20 || c == 0x7f), () -> "control character in " + text);
                assertTrue(text.length() < 1000, () -> "message of " + text.length() + " chars");
            }
            return false;
        } catch (Throwable t) {
            fail("neither a token nor an OAuthTokenException", t);
            return false;
        }
    }
}
