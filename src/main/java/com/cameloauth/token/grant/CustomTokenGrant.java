package com.cameloauth.token.grant;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.GrantType;

/**
 * The custom two-legged flow: every request is the connection's template, with {@code {refresh-token}} filled from
 * the current token set when it has one (an endpoint that refreshes with the same request). It is never wrapped in a
 * standard refresh step: a custom endpoint does not speak RFC 6749.
 */
public final class CustomTokenGrant implements TokenGrant {
    /** The grant type name in logs, metrics and events. */
    public static final GrantType CUSTOM = new GrantType("custom");

    @Override
    public AuthorizationGrant next(GrantContext context) {
        return new Request(context.usableRefreshToken(), Optional.empty());
    }

    @Override
    public String name() {
        return CUSTOM.getValue();
    }

    /** The placeholder values of one request beyond the connection's own: a refresh token, a code. */
    public static final class Request extends AuthorizationGrant {
        private final Optional<String> refreshToken;
        private final Optional<String> code;

        public Request(Optional<String> refreshToken, Optional<String> code) {
            super(CUSTOM);
            this.refreshToken = refreshToken;
            this.code = code;
        }

        public Optional<String> refreshToken() {
            return refreshToken;
        }

        public Optional<String> code() {
            return code;
        }

        /** Never sent as OAuth parameters: the custom client renders the template instead. */
        @Override
        public Map<String, List<String>> toParameters() {
            return Map.of();
        }
    }
}
