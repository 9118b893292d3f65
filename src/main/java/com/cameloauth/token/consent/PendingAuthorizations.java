package com.cameloauth.token.consent;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.util.URLUtils;

/**
 * The authorization code transactions in progress for a set of connections (one instance per application): starts
 * a consent ({@link #begin}) and checks its callback ({@link #complete}) before anything is redeemed.
 *
 * <ul>
 * <li>C1: every transaction has its own PKCE verifier (32 random bytes), sent as an S256 challenge.</li>
 * <li>C2: {@code state} is 32 random bytes (256 bits) from {@link SecureRandom}, works once, and expires after the
 * time to live (default 10 min). At most {@code maxPendingPerConnection} transactions (default 16) are kept per
 * connection: starting one more drops the oldest, so memory stays bounded and the most recent link always works
 * (refusing instead would lock an operator out until the old links expire).</li>
 * <li>C3: when the callback carries {@code iss} and the connection has an issuer, they must be equal.</li>
 * </ul>
 *
 * A callback consumes its transaction whatever the outcome: a refused callback cannot be replayed. Thread-safe.
 */
public final class PendingAuthorizations {
    public static final Duration DEFAULT_TIME_TO_LIVE = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_PENDING_PER_CONNECTION = 16;
    /** Random bytes in a state: 256 bits, twice what RFC 9700 asks. */
    static final int STATE_BYTES = 32;
    /** Random bytes in a PKCE verifier: 43 base64url characters, RFC 7636's minimum length and recommendation. */
    static final int VERIFIER_BYTES = 32;
    private static final List<String> SINGLE_VALUED = List.of("state", "code", "iss", "error", "error_description");

    private final Clock clock;
    private final Duration timeToLive;
    private final int maxPendingPerConnection;
    private final SecureRandom random;
    private final Map<String, Pending> byState = new HashMap<>();
    private final Map<String, Deque<String>> statesByConnection = new HashMap<>();

    /** With the default time to live and cap. */
    public PendingAuthorizations(Clock clock) {
        this(clock, DEFAULT_TIME_TO_LIVE, DEFAULT_MAX_PENDING_PER_CONNECTION, new SecureRandom());
    }

    public PendingAuthorizations(Clock clock, Duration timeToLive, int maxPendingPerConnection, SecureRandom random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeToLive = Objects.requireNonNull(timeToLive, "timeToLive");
        this.random = Objects.requireNonNull(random, "random");
        if (timeToLive.isNegative() || timeToLive.isZero()) {
            throw new IllegalArgumentException("timeToLive must be positive");
        }
        if (maxPendingPerConnection < 1) {
            throw new IllegalArgumentException("maxPendingPerConnection must be at least 1");
        }
        this.maxPendingPerConnection = maxPendingPerConnection;
    }

    /**
     * Starts a consent: returns the authorization request URL to send the user's browser to (response type
     * {@code code}, the client id, redirect URI, scopes, a fresh state and an S256 code challenge).
     */
    public URI begin(ConsentClient client) {
        State state = new State(randomBase64Url(STATE_BYTES));
        CodeVerifier verifier = new CodeVerifier(randomBase64Url(VERIFIER_BYTES));
        AuthorizationRequest.Builder request = new AuthorizationRequest.Builder(ResponseType.CODE,
                new ClientID(client.clientId()))
                .endpointURI(client.authorizationUrl())
                .redirectionURI(client.redirectUri())
                .state(state)
                .codeChallenge(verifier, CodeChallengeMethod.S256);
        if (!client.scopes().isEmpty()) {
            request.scope(new Scope(client.scopes().toArray(String[]::new)));
        }
        URI url = request.build().toURI();
        synchronized (this) {
            Instant now = clock.instant();
            purgeExpired(now);
            Deque<String> states = statesByConnection.computeIfAbsent(client.connection(), c -> new ArrayDeque<>());
            while (states.size() >= maxPendingPerConnection) {
                byState.remove(states.removeFirst());
            }
            states.addLast(state.getValue());
            byState.put(state.getValue(), new Pending(client, verifier, now.plus(timeToLive)));
        }
        return url;
    }

    /** Checks a callback as the browser brought it (only its query is read). */
    public CompletedAuthorization complete(URI callbackUri) {
        String query = callbackUri.getRawQuery();
        return complete(query == null ? Map.of() : URLUtils.parseParameters(query));
    }

    /** Checks a callback from its decoded parameters; null means absent. */
    public CompletedAuthorization complete(String code, String state, String iss, String error, String errorDescription) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        put(params, "code", code);
        put(params, "state", state);
        put(params, "iss", iss);
        put(params, "error", error);
        put(params, "error_description", errorDescription);
        return complete(params);
    }

    /** Transactions of a connection that are still waiting for their callback. */
    public synchronized int pendingCount(String connection) {
        Instant now = clock.instant();
        return (int) statesByConnection.getOrDefault(connection, new ArrayDeque<>()).stream()
                .filter(s -> now.isBefore(byState.get(s).expiresAt())).count();
    }

    private CompletedAuthorization complete(Map<String, List<String>> params) {
        for (String name : SINGLE_VALUED) {
            if (params.getOrDefault(name, List.of()).size() > 1) {
                throw new InvalidCallbackException(null, "the callback repeats the parameter '" + name
                        + "', which an authorization response never does; start the consent again");
            }
        }
        String stateValue = first(params, "state");
        if (stateValue == null || stateValue.isEmpty()) {
            throw new InvalidStateException(null, InvalidStateException.Reason.MISSING, "the callback has no state,"
                    + " so it answers no consent started here; start the consent again");
        }
        Pending pending = take(stateValue);
        if (pending == null) {
            throw new InvalidStateException(null, InvalidStateException.Reason.UNKNOWN, "the callback's state is"
                    + " unknown or was already used (a consent link works once); start the consent again");
        }
        String connection = pending.client().connection();
        if (!clock.instant().isBefore(pending.expiresAt())) {
            throw new InvalidStateException(connection, InvalidStateException.Reason.EXPIRED, "the consent was not"
                    + " completed within " + timeToLive.toMinutes() + " min; start the consent again");
        }
        AuthorizationResponse response;
        try {
            response = AuthorizationResponse.parse(pending.client().redirectUri(), params);
        } catch (ParseException | RuntimeException e) {
            // Nimbus's message may quote a parameter: say nothing of it
            throw new InvalidCallbackException(connection, "the callback is not a valid authorization response;"
                    + " start the consent again");
        }
        Issuer iss = response.getIssuer();
        if (iss != null && pending.client().issuer().isPresent()
                && !pending.client().issuer().get().equals(iss.getValue())) {
            throw new IssuerMismatchException(connection, pending.client().issuer().get(), iss.getValue());
        }
        if (!response.indicatesSuccess()) {
            ErrorObject error = response.toErrorResponse().getErrorObject();
            throw new AuthorizationErrorException(connection, CallbackText.code(error.getCode()),
                    CallbackText.clean(error.getDescription()));
        }
        AuthorizationCode code = response.toSuccessResponse().getAuthorizationCode();
        if (code == null) {
            throw new InvalidCallbackException(connection, "the callback has neither a code nor an error;"
                    + " start the consent again");
        }
        return new CompletedAuthorization(pending.client(), code, pending.verifier());
    }

    private synchronized Pending take(String state) {
        Pending pending = byState.remove(state);
        if (pending != null) {
            statesByConnection.get(pending.client().connection()).remove(state);
        }
        return pending;
    }

    private void purgeExpired(Instant now) {
        byState.entrySet().removeIf(e -> {
            if (now.isBefore(e.getValue().expiresAt())) {
                return false;
            }
            statesByConnection.get(e.getValue().client().connection()).remove(e.getKey());
            return true;
        });
    }

    private String randomBase64Url(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64URL.encode(b).toString();
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static void put(Map<String, List<String>> params, String name, String value) {
        if (value != null) {
            params.put(name, List.of(value));
        }
    }

    /** A transaction waiting for its callback. */
    private record Pending(ConsentClient client, CodeVerifier verifier, Instant expiresAt) {
        @Override
        public String toString() {
            return "Pending[connection=" + client.connection() + ", expiresAt=" + expiresAt + "]";
        }
    }
}
