package com.cameloauth.token.grant;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.cameloauth.token.ConsentRequiredException;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.GrantType;

/**
 * The custom flow: every request is the connection's template, with {@code {refresh-token}} filled from the current
 * token set when it has one (an endpoint that refreshes with the same request). It is never wrapped in a standard
 * refresh step: a custom endpoint does not speak RFC 6749. Three-legged, the first token comes from a user's consent
 * (the code is redeemed through the template by {@code OAuthConnections.completeConsent}); without a refresh token a
 * user must consent again, as for authorization-code.
 */
public final class CustomTokenGrant implements TokenGrant {
    /** The grant type name in logs, metrics and events. */
    public static final GrantType CUSTOM = new GrantType("custom");

    private final boolean threeLegged;

    /** The two-legged flow. */
    public CustomTokenGrant() {
        this(false);
    }

    /** @param threeLegged whether a user's consent gives the first token */
    public CustomTokenGrant(boolean threeLegged) {
        this.threeLegged = threeLegged;
    }

    @Override
    public AuthorizationGrant next(GrantContext context) {
        Optional<String> refreshToken = context.usableRefreshToken();
        if (threeLegged && refreshToken.isEmpty()) {
            throw new ConsentRequiredException(context.connection().name(), null);
        }
        return new Request(refreshToken, Optional.empty());
    }

    @Override
    public String name() {
        return CUSTOM.getValue();
    }

    @Override
    public boolean needsUser() {
        return threeLegged;
    }

    /** The placeholder values of one request beyond the connection's own: a refresh token, a code and its verifier. */
    public static final class Request extends AuthorizationGrant {
        private final Optional<String> refreshToken;
        private final Optional<String> code;
        private final Optional<String> codeVerifier;

        public Request(Optional<String> refreshToken, Optional<String> code) {
            this(refreshToken, code, Optional.empty());
        }

        public Request(Optional<String> refreshToken, Optional<String> code, Optional<String> codeVerifier) {
            super(CUSTOM);
            this.refreshToken = refreshToken;
            this.code = code;
            this.codeVerifier = codeVerifier;
        }

        public Optional<String> refreshToken() {
            return refreshToken;
        }

        public Optional<String> code() {
            return code;
        }

        public Optional<String> codeVerifier() {
            return codeVerifier;
        }

        /** Never sent as OAuth parameters: the custom client renders the template instead. */
        @Override
        public Map<String, List<String>> toParameters() {
            return Map.of();
        }
    }
}
