package com.cameloauth.quarkus.demo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.arc.profile.IfBuildProfile;

/**
 * The demo authorization server's user grants: authorization codes (issued by {@link DemoConsentPage} after a user
 * approved, single use, 60 s, bound to client, redirect URI and PKCE S256 challenge) and refresh tokens (rotated on
 * every use: the old one stops working). Dev and test builds only.
 */
@ApplicationScoped
@IfBuildProfile(anyOf = { "dev", "test" })
public class DemoGrants {
    static final Duration CODE_LIFETIME = Duration.ofSeconds(60);

    /** What a code stands for. */
    record Code(String clientId, String redirectUri, Set<String> scopes, String subject, String challenge, Instant expiresAt) {
    }

    /** What a refresh token stands for. */
    record Grant(String clientId, Set<String> scopes, String subject) {
    }

    /** An OAuth error for the token endpoint. */
    record Refusal(String error, String description) {
    }

    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final Map<String, Grant> refreshTokens = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    @Inject
    DemoTokens tokens;

    /** A new code for a user's approval. */
    String newCode(DemoTokens.Client client, String redirectUri, Set<String> scopes, String subject, String challenge) {
        Instant now = clock.instant();
        codes.values().removeIf(c -> !c.expiresAt().isAfter(now));
        String code = tokens.randomValue();
        codes.put(code, new Code(client.id(), redirectUri, Set.copyOf(scopes), subject, challenge, now.plus(CODE_LIFETIME)));
        return code;
    }

    /**
     * RFC 6749 4.1.3 with RFC 7636 4.6: the code is consumed whatever the outcome; it must be this client's, unexpired,
     * with the same redirect URI, and BASE64URL(SHA-256(code_verifier)) must equal its challenge.
     */
    Object redeemCode(DemoTokens.Client client, String code, String redirectUri, String verifier) {
        Code c = code == null ? null : codes.remove(code);
        if (c == null || !c.clientId().equals(client.id()) || !c.expiresAt().isAfter(clock.instant())) {
            return new Refusal("invalid_grant", "unknown, used or expired code");
        }
        if (!c.redirectUri().equals(redirectUri)) {
            return new Refusal("invalid_grant", "redirect_uri differs from the authorization request's");
        }
        if (verifier == null || !verifier.matches("[A-Za-z0-9._~-]{43,128}") || !c.challenge().equals(s256(verifier))) {
            return new Refusal("invalid_grant", "code_verifier does not match the code_challenge (PKCE S256)");
        }
        return tokenResponse(client, c.scopes(), c.subject());
    }

    /** RFC 6749 6: rotates the refresh token; a scope may only narrow the original one. */
    Object refresh(DemoTokens.Client client, String refreshToken, String scope) {
        Grant g = refreshToken == null ? null : refreshTokens.get(refreshToken);
        if (g == null || !g.clientId().equals(client.id())) {
            return new Refusal("invalid_grant", "unknown or used refresh token");
        }
        Set<String> scopes = g.scopes();
        if (scope != null && !scope.isBlank()) {
            Set<String> asked = Set.of(scope.trim().split("\\s+"));
            if (!scopes.containsAll(asked)) {
                return new Refusal("invalid_scope", "a refresh may not widen the scope");
            }
            scopes = asked;
        }
        if (refreshTokens.remove(refreshToken) == null) {
            return new Refusal("invalid_grant", "unknown or used refresh token"); // a racing refresh used it first
        }
        return tokenResponse(client, scopes, g.subject());
    }

    private Map<String, Object> tokenResponse(DemoTokens.Client client, Set<String> scopes, String subject) {
        String refresh = tokens.randomValue();
        refreshTokens.put(refresh, new Grant(client.id(), scopes, subject));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", tokens.issue(client, scopes, subject));
        body.put("token_type", "Bearer");
        body.put("expires_in", tokens.lifetime().toSeconds());
        body.put("refresh_token", refresh);
        body.put("scope", String.join(" ", scopes));
        return body;
    }

    static String s256(String verifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
