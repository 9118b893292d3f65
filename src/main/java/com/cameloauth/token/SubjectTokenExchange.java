package com.cameloauth.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.token.grant.TokenExchangeTokenGrant;

/**
 * Token exchange with a subject token per message (RFC 8693, {@code subject-token-from-header=true}): every subject
 * gets its own token, never the connection's shared one. Exchanged tokens are cached by the SHA-256 of their subject
 * token in a small bounded map (the subject token itself is not kept), one request in flight per subject. A subject
 * token is never logged: events carry the exchanged token's fingerprint only.
 */
public final class SubjectTokenExchange implements RequestAuthorizer {
    /** Subjects whose exchanged token is kept; the least recently used goes first. */
    static final int MAX_CACHED_SUBJECTS = 256;

    private final ConnectionDefinition connection;
    private final TokenExchangeTokenGrant grant;
    private final TokenFetcher fetcher;
    private final Clock clock;
    private final TokenEvents events;
    private final Map<String, Token> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Token> eldest) {
            return size() > MAX_CACHED_SUBJECTS;
        }
    };
    private final Map<String, CompletableFuture<Token>> inFlight = new ConcurrentHashMap<>();

    SubjectTokenExchange(ConnectionDefinition connection, TokenExchangeTokenGrant grant, TokenFetcher fetcher,
            Clock clock, TokenEvents events) {
        this.connection = connection;
        this.grant = grant;
        this.fetcher = fetcher;
        this.clock = clock;
        this.events = events;
    }

    /** The credential for requests made on behalf of {@code subjectToken}. */
    public RequestAuthorizer forSubject(String subjectToken) {
        if (subjectToken == null || subjectToken.isBlank()) {
            throw new TokenRequestRejectedException(connection.name(), "no subject token: this token-exchange"
                    + " connection takes the subject token from each message (subject-token-from-header=true), and the"
                    + " message has none", 0, null);
        }
        String key = hash(subjectToken.trim());
        String subject = subjectToken.trim();
        return new RequestAuthorizer() {
            @Override
            public Authorization authorize() {
                return authorization(exchange(key, subject, null));
            }

            @Override
            public Optional<Authorization> afterRejection(Authorization rejected) {
                String spent = rejected.token() == null ? null : rejected.token().fingerprint();
                synchronized (cache) {
                    Token current = cache.get(key);
                    if (current != null && current.fingerprint().equals(spent)) {
                        cache.remove(key);
                        events.emit(TokenEvent.Type.REJECTED, current, "the API answered 401");
                    }
                }
                Authorization next = authorization(exchange(key, subject, spent));
                events.emit(TokenEvent.Type.REPLAYED, next.token(), "a new token for the request the API rejected");
                return Optional.of(next);
            }
        };
    }

    /** Without a message there is no subject token: this connection can only be called with one. */
    @Override
    public Authorization authorize() {
        return forSubject(null).authorize();
    }

    @Override
    public Optional<Authorization> afterRejection(Authorization rejected) {
        return Optional.empty();
    }

    /** The state shown for such a connection in health, Test and the management view: no shared token to show. */
    public static final String STATE = "PER_SUBJECT";

    /** Why refresh, Test and health have no token of this connection to get or show. */
    public String noSharedTokenReason() {
        return "connection '" + connection.name() + "' takes its subject token from each message"
                + " (subject-token-from-header=true): it has no shared token to refresh or test; each call with a "
                + "CamelOAuthSubjectToken header gets its own exchanged token";
    }

    /** Refused: refresh needs the connection's own token, which this connection does not have. */
    public OAuthTokenException noSharedToken() {
        return new TokenRequestRejectedException(connection.name(), noSharedTokenReason(), 0, null);
    }

    /** Subjects with a cached token (for tests and the management view). */
    public int cachedSubjects() {
        synchronized (cache) {
            return cache.size();
        }
    }

    private Token exchange(String key, String subject, String spent) {
        Token cached = cachedToken(key, spent);
        if (cached != null) {
            return cached;
        }
        CompletableFuture<Token> mine = new CompletableFuture<>();
        CompletableFuture<Token> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return join(running);
        }
        try {
            Token token = request(subject);
            mine.complete(token);
            return token;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private Token request(String subject) {
        Instant started = clock.instant();
        try {
            Token token = fetcher.fetch(grant.forSubject(subject)).token();
            if (token.isCacheable()) {
                synchronized (cache) {
                    cache.put(hash(subject), token);
                }
            }
            events.emit(TokenEvent.Type.ACQUIRED, token, "exchanged a subject token; expires in "
                    + Duration.between(token.receivedAt(), token.expiresAt()).toSeconds() + " s",
                    Duration.between(started, clock.instant()), null);
            return token;
        } catch (OAuthTokenException e) {
            events.emit(TokenEvent.Type.FAILED, null, e.getMessage(), Duration.between(started, clock.instant()),
                    e.errorCode().orElse(null));
            throw e;
        }
    }

    /** A cached token still usable for a while (a fifth of its lifetime, or refresh-skew, before expiry). */
    private Token cachedToken(String key, String spent) {
        Token token;
        synchronized (cache) {
            token = cache.get(key);
        }
        if (token == null || token.fingerprint().equals(spent)) {
            return null;
        }
        Duration lifetime = Duration.between(token.receivedAt(), token.expiresAt());
        Duration margin = connection.timing().refreshSkew().orElse(lifetime.dividedBy(5));
        return clock.instant().isBefore(token.expiresAt().minus(margin)) ? token : null;
    }

    private Token join(CompletableFuture<Token> running) {
        try {
            return running.get(connection.timeouts().request().toMillis() + 100, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new TokenEndpointUnavailableException(connection.name(), "token exchange failed", 0, null, e.getCause());
        } catch (TimeoutException e) {
            throw new TokenEndpointUnavailableException(connection.name(), "waited request-timeout for a token"
                    + " exchange in flight", 0, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenEndpointUnavailableException(connection.name(), "interrupted while waiting for a token"
                    + " exchange", 0, null, e);
        }
    }

    private Authorization authorization(Token token) {
        return new Authorization(connection.header().name(), connection.header().valueFor(token.value()), token);
    }

    private static String hash(String subject) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(subject.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
