package com.cameloauth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.cameloauth.token.store.StoreKey;
import com.cameloauth.token.store.TokenSet;
import com.cameloauth.token.store.TokenStore;
import com.cameloauth.token.store.Versioned;

/**
 * Refresh tokens and the token store under the engine, against a token endpoint that rotates refresh tokens and
 * refuses a reused one. A client-credentials connection whose server also issues refresh tokens stands in for the
 * grants that have them. Tokens live 300 s; the clock is moved past expiry so that requests run on the caller.
 */
class RefreshAndStoreTest {
    private static final Duration PAST_EXPIRY = Duration.ofSeconds(301);

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private final RecordingListener listener = new RecordingListener();
    private final CountingTokenStore store = new CountingTokenStore();
    private final List<OAuthConnections> engines = new ArrayList<>();
    private RotatingTokenServer server;

    @BeforeEach
    void start() throws IOException {
        server = new RotatingTokenServer();
    }

    @AfterEach
    void stop() {
        engines.forEach(OAuthConnections::close);
        server.close();
    }

    private TokenManager manager(TokenStore tokenStore) {
        OAuthConnections engine = OAuthConnections.builder(TestConnection.onPort(server.port()).definitions())
                .clock(clock).sleeper(sleeper).executor(Runnable::run).store(tokenStore).build();
        engine.addListener(listener);
        engines.add(engine);
        return engine.tokenManager(TestConnection.NAME).orElseThrow();
    }

    private Optional<Versioned<TokenSet>> stored() {
        var c = TestConnection.onPort(server.port()).definitions().get(TestConnection.NAME).oauthClient().orElseThrow();
        StoreKey key = StoreKey.of(TestConnection.NAME, c.tokenUrl().toString(), c.clientId(), c.scopes(),
                "client_credentials");
        return store.load(key);
    }

    @Test
    void authorizeWhenTokenExpiredAndARefreshTokenWasIssuedThenRefreshesWithIt() {
        TokenManager manager = manager(store);
        assertEquals("at-1", manager.currentToken().value());

        clock.advance(PAST_EXPIRY);
        assertEquals("at-2", manager.currentToken().value());

        assertEquals(List.of("client_credentials", "refresh_token"), server.grantTypes());
        assertEquals("rt-1", server.requests().get(1).get("refresh_token"));
        assertEquals(List.of(TokenEvent.Type.ACQUIRED, TokenEvent.Type.REFRESHED), listener.types());
    }

    @Test
    void refreshWhenServerRotatesThenTheNewRefreshTokenIsStoredAndSentNext() {
        TokenManager manager = manager(store);
        manager.currentToken();
        clock.advance(PAST_EXPIRY);
        manager.currentToken();
        assertEquals(Optional.of("rt-2"), stored().orElseThrow().value().refreshToken());

        clock.advance(PAST_EXPIRY);
        assertEquals("at-3", manager.currentToken().value());

        assertEquals(List.of("rt-1", "rt-2"), server.refreshTokensReceived(), "each refresh token sent once");
        assertEquals(Optional.of("rt-3"), stored().orElseThrow().value().refreshToken());
    }

    @Test
    void refreshWhenResponseHasNoRefreshTokenThenTheOldOneIsKept() {
        server.rotate(false);
        TokenManager manager = manager(store);
        manager.currentToken();
        clock.advance(PAST_EXPIRY);
        manager.currentToken();
        clock.advance(PAST_EXPIRY);
        assertEquals("at-3", manager.currentToken().value());

        assertEquals(List.of("rt-1", "rt-1"), server.refreshTokensReceived());
        assertEquals(Optional.of("rt-1"), stored().orElseThrow().value().refreshToken());
    }

    @Test
    void refreshWhenNoRefreshTokenWasIssuedThenClientCredentialsAgain() {
        server.issueRefreshTokens(false);
        TokenManager manager = manager(store);
        manager.currentToken();
        clock.advance(PAST_EXPIRY);
        manager.currentToken();

        assertEquals(List.of("client_credentials", "client_credentials"), server.grantTypes());
    }

    @Test
    void authorizeWhenTheStoreHoldsAValidTokenThenAdoptsItWithoutARequest() {
        assertEquals("at-1", manager(store).currentToken().value());

        TokenManager restarted = manager(store); // another instance, or this one after a restart (a persistent store)

        assertEquals("at-1", restarted.currentToken().value());
        assertEquals(1, server.requests().size(), "no second request");
        assertEquals(ConnectionState.ACTIVE, restarted.state());
    }

    @Test
    void afterRejectionWhenTheStoreHoldsTheRejectedTokenThenItIsNotAdoptedAgain() {
        TokenManager manager = manager(store);
        Authorization first = manager.authorize();

        Authorization replay = manager.afterRejection(first).orElseThrow();

        assertEquals("at-2", replay.token().value());
        assertEquals(List.of("client_credentials", "refresh_token"), server.grantTypes());
    }

    @Test
    void authorizeWithAValidCachedTokenNeverTouchesTheStore() {
        TokenManager manager = manager(store);
        manager.authorize();
        int calls = store.calls();

        for (int i = 0; i < 100; i++) {
            manager.authorize();
        }
        clock.advance(Duration.ofSeconds(200));
        manager.authorize();

        assertEquals(calls, store.calls());
    }

    @Test
    void storeFailingThenTokensStillComeAndTheRefreshTokenIsKeptInMemory() {
        store.failing(true);
        TokenManager manager = manager(store);

        assertEquals("at-1", manager.currentToken().value());
        clock.advance(PAST_EXPIRY);
        assertEquals("at-2", manager.currentToken().value());

        assertEquals(List.of("rt-1"), server.refreshTokensReceived(), "the refresh token from memory");
        assertEquals(ConnectionState.ACTIVE, manager.state());
        assertFalse(listener.types().contains(TokenEvent.Type.FAILED));
    }

    @Test
    void storeFailingWhenARotatedRefreshTokenArrivesThenTheNextRefreshSavesIt() {
        TokenManager manager = manager(store);
        manager.currentToken();
        store.failing(true);
        clock.advance(PAST_EXPIRY);
        manager.currentToken(); // rt-1 -> rt-2: the save fails, rt-2 stays in memory
        store.failing(false);

        clock.advance(PAST_EXPIRY);
        assertEquals("at-3", manager.currentToken().value());

        assertEquals(List.of("rt-1", "rt-2"), server.refreshTokensReceived(), "the newer refresh token from memory");
        assertEquals(Optional.of("rt-3"), stored().orElseThrow().value().refreshToken());
    }

    @Test
    void invalidGrantOnRefreshThenTheRefreshTokenIsDroppedAndClientCredentialsRunsOnce() {
        TokenManager manager = manager(store);
        manager.currentToken();
        server.revokeAll();
        clock.advance(PAST_EXPIRY);

        assertEquals("at-2", manager.currentToken().value());

        assertEquals(List.of("client_credentials", "refresh_token", "client_credentials"), server.grantTypes());
        assertEquals(1, listener.ofType(TokenEvent.Type.REFRESH_TOKEN_REJECTED).size());
        assertEquals(ConnectionState.ACTIVE, manager.state());
        assertEquals(Optional.of("rt-2"), stored().orElseThrow().value().refreshToken());
        listener.events().forEach(e -> assertFalse(String.valueOf(e).contains("rt-1"), "no refresh token in " + e));

        clock.advance(PAST_EXPIRY);
        manager.currentToken();
        assertEquals(List.of("rt-1", "rt-2"), server.refreshTokensReceived(), "the new one next time, no loop");
        assertNotEquals(ConnectionState.NEEDS_CONSENT, manager.state());
        assertTrue(manager.lastFailure().isEmpty());
    }

    @Test
    void authorizeWhenAnotherInstanceHoldsTheLeaseAndStoresNothingThenFailsFastRetryableWithoutARequest() {
        SharedLeaseStore shared = new SharedLeaseStore();
        TokenManager manager = manager(shared);
        var c = TestConnection.onPort(server.port()).definitions().get(TestConnection.NAME).oauthClient().orElseThrow();
        StoreKey key = StoreKey.of(TestConnection.NAME, c.tokenUrl().toString(), c.clientId(), c.scopes(),
                "client_credentials");
        assertTrue(shared.tryAcquireLease(key, Duration.ofMinutes(5)).isPresent(), "the other instance's lease");

        TokenEndpointUnavailableException e = assertThrows(TokenEndpointUnavailableException.class,
                manager::authorize);

        assertTrue(e.isRetryable() && e.isFailFast(), e.getMessage());
        assertEquals(0, server.requests().size());
        assertTrue(sleeper.waits().size() > 1, "it polled the store for the holder's result");
    }

    @Test
    void authorizeWhenAnotherInstanceHoldsTheLeaseThenItsStoredResultIsAdopted() {
        SharedLeaseStore shared = new SharedLeaseStore();
        TokenManager other = manager(shared);
        other.currentToken(); // at-1 stored
        clock.advance(PAST_EXPIRY);
        var c = TestConnection.onPort(server.port()).definitions().get(TestConnection.NAME).oauthClient().orElseThrow();
        StoreKey key = StoreKey.of(TestConnection.NAME, c.tokenUrl().toString(), c.clientId(), c.scopes(),
                "client_credentials");
        var lease = shared.tryAcquireLease(key, Duration.ofMinutes(5)).orElseThrow();
        // The holder stores its result while this instance polls; the sleeper stands in for time passing.
        RecordingSleeper polling = sleeper;
        AtomicBoolean stored = new AtomicBoolean();
        OAuthConnections engine = OAuthConnections.builder(TestConnection.onPort(server.port()).definitions())
                .clock(clock).executor(Runnable::run).store(shared).sleeper(d -> {
                    polling.sleep(d);
                    if (stored.compareAndSet(false, true)) {
                        var v = shared.load(key).orElseThrow();
                        TokenSet next = TokenSet.withoutRefreshToken("at-by-holder", "Bearer", clock.instant(),
                                clock.instant().plusSeconds(300), List.of());
                        shared.compareAndSet(key, v.version(), next);
                        shared.release(lease);
                    }
                }).build();
        engines.add(engine);
        int before = server.requests().size();

        assertEquals("at-by-holder", engine.tokenManager(TestConnection.NAME).orElseThrow().currentToken().value());
        assertEquals(before, server.requests().size(), "no request of its own");
    }
}
