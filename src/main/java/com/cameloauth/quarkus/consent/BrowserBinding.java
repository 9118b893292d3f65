package com.cameloauth.quarkus.consent;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.cameloauth.token.consent.PendingAuthorizations;

/**
 * Ties a consent started with {@code GET /oauth/consent/{name}} to the browser that started it: a random nonce in an
 * HttpOnly cookie on the callback path, remembered here under a hash of the transaction's state. A callback with that
 * state is completed only in a browser that shows the nonce, so a leaked authorization URL cannot be finished in
 * someone else's browser (with someone else's account at the provider). Consents started elsewhere (the
 * {@code consent-url} operation, the Java API) have no binding and are left to the engine's own checks.
 * <p>
 * Only hashes of states are kept, never a state; at most {@value #MAX} bindings, each for the engine's transaction
 * lifetime. Thread-safe.
 */
final class BrowserBinding {
    static final String COOKIE_PREFIX = "oauth-consent-";
    static final int MAX = 256;
    private static final Duration LIFETIME = PendingAuthorizations.DEFAULT_TIME_TO_LIVE;

    /** The outcome of checking a callback. */
    enum Check {
        /** The state was started in this browser. */
        BOUND,
        /** The state is not one started by {@code GET /oauth/consent}: the engine decides. */
        NOT_BOUND,
        /** The state was started by {@code GET /oauth/consent}, but not in this browser. */
        OTHER_BROWSER
    }

    private record Binding(String nonce, Instant expiresAt) {
    }

    private final Map<String, Binding> byStateHash = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    BrowserBinding(Clock clock) {
        this.clock = clock;
    }

    /** Binds the authorization request's state; returns the {@code Set-Cookie} header value for the browser. */
    String bind(URI authorizationRequest, URI redirectUri) {
        String state = queryParameter(authorizationRequest.getRawQuery(), "state")
                .orElseThrow(() -> new IllegalStateException("the authorization request has no state"));
        Instant now = clock.instant();
        byStateHash.values().removeIf(b -> !b.expiresAt().isAfter(now));
        while (byStateHash.size() >= MAX) {
            byStateHash.entrySet().stream().min(Comparator.comparing(e -> e.getValue().expiresAt()))
                    .ifPresent(e -> byStateHash.remove(e.getKey()));
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String nonce = base64(bytes);
        String hash = hash(state);
        byStateHash.put(hash, new Binding(nonce, now.plus(LIFETIME)));
        return cookie(hash, nonce, redirectUri, LIFETIME.toSeconds());
    }

    /** Checks a callback's state against the browser's cookies ({@code cookies} gives a cookie's value by name). */
    Check check(String state, java.util.function.Function<String, String> cookies) {
        if (state == null || state.isEmpty()) {
            return Check.NOT_BOUND;
        }
        String hash = hash(state);
        Binding binding = byStateHash.get(hash);
        if (binding == null || !binding.expiresAt().isAfter(clock.instant())) {
            return Check.NOT_BOUND;
        }
        String shown = cookies.apply(cookieName(hash));
        if (shown == null || !MessageDigest.isEqual(shown.getBytes(StandardCharsets.US_ASCII),
                binding.nonce().getBytes(StandardCharsets.US_ASCII))) {
            return Check.OTHER_BROWSER;
        }
        byStateHash.remove(hash, binding);
        return Check.BOUND;
    }

    /** The {@code Set-Cookie} value that removes the binding cookie of a state. */
    static String clearCookie(String state, URI redirectUri) {
        return cookie(hash(state), "", redirectUri, 0);
    }

    /** The cookie's name for a state: a short hash prefix, so that consents started side by side keep their own. */
    static String cookieName(String stateHash) {
        return COOKIE_PREFIX + stateHash.substring(0, 16);
    }

    private static String cookie(String hash, String value, URI redirectUri, long maxAge) {
        String path = redirectUri.getRawPath() == null || redirectUri.getRawPath().isEmpty() ? "/" : redirectUri.getRawPath();
        // Lax: the provider sends the browser back with a top-level GET from its own site; Strict would drop the cookie
        return cookieName(hash) + "=" + value + "; Path=" + path + "; Max-Age=" + maxAge + "; HttpOnly; SameSite=Lax"
                + ("https".equalsIgnoreCase(redirectUri.getScheme()) ? "; Secure" : "");
    }

    static Optional<String> queryParameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return Optional.empty();
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                try {
                    return Optional.of(java.net.URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    static String hash(String state) {
        try {
            return base64(MessageDigest.getInstance("SHA-256").digest(state.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
