package com.cameloauth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import java.util.function.Supplier;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.cameloauth.token.store.InMemoryTokenStore;
import com.cameloauth.token.store.TokenStore;

/**
 * C7: a rotated refresh token replaces the old one atomically, and no refresh token is ever sent twice, even by two
 * instances refreshing at the same moment. Two engines ("instances") share one store and one token endpoint that
 * rotates refresh tokens and answers invalid_grant to any reused one.
 */
class RefreshTokenRaceTest {
    private static final int ROUNDS = 50;

    /** A store with exclusive leases (as Redis), and the in-memory store, whose leases are local (always granted). */
    static List<Supplier<TokenStore>> stores() {
        return List.of(SharedLeaseStore::new, InMemoryTokenStore::new);
    }

    @ParameterizedTest
    @MethodSource("stores")
    void refreshWhenTwoInstancesRaceThenNoRefreshTokenIsSentTwiceAndBothEndWithTheLatestToken(Supplier<TokenStore> kind)
            throws Exception {
        RecordingListener listener = new RecordingListener();
        TokenStore store = kind.get();
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try (RotatingTokenServer server = new RotatingTokenServer();
                OAuthConnections a = engine(server, store, listener);
                OAuthConnections b = engine(server, store, listener)) {
            TokenManager first = a.tokenManager(TestConnection.NAME).orElseThrow();
            TokenManager second = b.tokenManager(TestConnection.NAME).orElseThrow();
            first.currentToken();
            second.currentToken();

            for (int round = 0; round < ROUNDS; round++) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Token>> results = new ArrayList<>();
                for (TokenManager m : List.of(first, second)) {
                    results.add(callers.submit(() -> {
                        go.await();
                        return m.refresh();
                    }));
                }
                go.countDown();
                for (Future<Token> r : results) {
                    r.get(30, TimeUnit.SECONDS);
                }
            }

            List<String> sent = server.refreshTokensReceived();
            assertEquals(sent.size(), new HashSet<>(sent).size(), "a refresh token was sent twice: " + sent);
            assertEquals(ROUNDS, sent.size(), "one refresh per round, the other instance adopts its result");
            assertEquals(1 + ROUNDS, server.requests().size());
            assertEquals(List.of(), listener.ofType(TokenEvent.Type.REFRESH_TOKEN_REJECTED));
            assertEquals(server.latestAccessToken(), first.currentToken().value());
            assertEquals(server.latestAccessToken(), second.currentToken().value());
            assertTrue(first.state() == ConnectionState.ACTIVE && second.state() == ConnectionState.ACTIVE);
        } finally {
            callers.shutdownNow();
        }
    }

    private static OAuthConnections engine(RotatingTokenServer server, TokenStore store,
            RecordingListener listener) {
        OAuthConnections engine = OAuthConnections.builder(TestConnection.onPort(server.port()).definitions())
                .clock(Clock.systemUTC()).sleeper(Sleeper.SYSTEM).store(store).build();
        engine.addListener(listener);
        return engine;
    }
}
