package com.cameloauth.token.consent;

import static com.cameloauth.token.consent.ConsentFixture.REDIRECT_URI;
import static com.cameloauth.token.consent.ConsentFixture.callback;
import static com.cameloauth.token.consent.ConsentFixture.request;
import static com.cameloauth.token.consent.ConsentFixture.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;

/** C1 and C2: what begin() sends the browser to, and how many transactions are kept for how long. */
class PendingAuthorizationsTest {
    private final MutableClock clock = MutableClock.startingAt("2026-01-01T10:00:00Z");
    private final PendingAuthorizations pending = new PendingAuthorizations(clock);
    private final ConsentClient client = ConsentFixture.publicClient(1);

    @Test
    void beginSendsACodeRequestWithRedirectUriScopesStateAndAnS256Challenge() {
        URI url = pending.begin(client);

        AuthorizationRequest request = request(url);
        assertTrue(url.toString().startsWith(ConsentFixture.AUTHORIZATION_URL + "?"), url.toString());
        assertEquals(ResponseType.CODE, request.getResponseType());
        assertEquals("crm-app", request.getClientID().getValue());
        assertEquals(REDIRECT_URI, request.getRedirectionURI());
        assertEquals(new Scope("openid", "contacts.read"), request.getScope());
        assertEquals(CodeChallengeMethod.S256, request.getCodeChallengeMethod());
    }

    @Test
    void challengeIsS256OfTheVerifierAndEveryTransactionHasItsOwnVerifier() {
        URI first = pending.begin(client);
        URI second = pending.begin(client);

        CompletedAuthorization a = pending.complete(callback("code", "c1", "state", state(first)));
        CompletedAuthorization b = pending.complete(callback("code", "c2", "state", state(second)));

        assertNotEquals(a.verifier().getValue(), b.verifier().getValue());
        assertEquals(43, a.verifier().getValue().length(), "32 random bytes, base64url");
        assertEquals(request(first).getCodeChallenge(), CodeChallenge.compute(CodeChallengeMethod.S256, a.verifier()));
        assertEquals(request(second).getCodeChallenge(), CodeChallenge.compute(CodeChallengeMethod.S256, b.verifier()));
        assertEquals("c1", a.grant().getAuthorizationCode().getValue());
        assertEquals(a.verifier(), a.grant().getCodeVerifier());
        assertEquals(REDIRECT_URI, a.grant().getRedirectionURI());
    }

    @Test
    void stateCarries256BitsFromTheSecureRandomAndNeverRepeats() {
        AtomicInteger randomBytes = new AtomicInteger();
        SecureRandom counting = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                randomBytes.addAndGet(bytes.length);
                super.nextBytes(bytes);
            }
        };
        PendingAuthorizations withCountingRandom = new PendingAuthorizations(clock, Duration.ofMinutes(10), 16, counting);
        Set<String> states = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String state = state(withCountingRandom.begin(client));
            byte[] raw = Base64.getUrlDecoder().decode(state);
            assertEquals(32, raw.length, "256 bits (C2 asks for at least 128)");
            states.add(state);
        }
        assertEquals(200, states.size());
        assertEquals(200 * (32 + 32), randomBytes.get(), "state and verifier bytes come from the injected random");
    }

    @Test
    void aSeventeenthConsentDropsTheOldestTransactionOfThatConnectionOnly() {
        URI otherConnection = pending.begin(new ConsentClient("erp", client.authorizationUrl(), client.tokenUrl(),
                "erp-app", Optional.empty(), client.clientAuth(), REDIRECT_URI, List.of(), Optional.empty()));
        URI oldest = pending.begin(client);
        URI second = pending.begin(client);
        URI newest = null;
        for (int i = 0; i < 15; i++) {
            newest = pending.begin(client);
        }

        assertEquals(16, pending.pendingCount(ConsentFixture.CONNECTION));
        var e = assertThrows(InvalidStateException.class,
                () -> pending.complete(callback("code", "c", "state", state(oldest))));
        assertEquals(InvalidStateException.Reason.UNKNOWN, e.reason());
        pending.complete(callback("code", "c", "state", state(second)));
        pending.complete(callback("code", "c", "state", state(newest)));
        pending.complete(callback("code", "c", "state", state(otherConnection)));
        assertEquals(14, pending.pendingCount(ConsentFixture.CONNECTION));
    }

    @Test
    void expiredTransactionsAreNotCountedAndAreForgottenAtTheNextBegin() {
        pending.begin(client);
        pending.begin(client);
        clock.advance(Duration.ofMinutes(10));

        assertEquals(0, pending.pendingCount(ConsentFixture.CONNECTION));
        URI fresh = pending.begin(client);
        assertEquals(1, pending.pendingCount(ConsentFixture.CONNECTION));
        pending.complete(callback("code", "c", "state", state(fresh)));
    }

    @Test
    void capAndTimeToLiveAreConfigurable() {
        PendingAuthorizations small = new PendingAuthorizations(clock, Duration.ofMinutes(2), 1, new SecureRandom());
        URI first = small.begin(client);
        URI second = small.begin(client);

        assertThrows(InvalidStateException.class, () -> small.complete(callback("code", "c", "state", state(first))));
        clock.advance(Duration.ofMinutes(2));
        var e = assertThrows(InvalidStateException.class,
                () -> small.complete(callback("code", "c", "state", state(second))));
        assertEquals(InvalidStateException.Reason.EXPIRED, e.reason());
        assertThrows(IllegalArgumentException.class, () -> new PendingAuthorizations(clock, Duration.ZERO, 1,
                new SecureRandom()));
        assertThrows(IllegalArgumentException.class, () -> new PendingAuthorizations(clock, Duration.ofMinutes(1), 0,
                new SecureRandom()));
    }
}
