package com.cameloauth.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.token.grant.GrantContext;
import com.cameloauth.token.grant.TokenGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.GrantType;

/** Asks {@link ExternalTokens} where other connections ask a token endpoint; the lifetime rules stay the engine's. */
final class ExternalTokenClient implements TokenRequester {
    private static final Pattern VISIBLE_ASCII = Pattern.compile("[\\x20-\\x7E]+");

    private final ConnectionDefinition connection;
    private final ExternalTokens tokens;
    private final Clock clock;

    ExternalTokenClient(ConnectionDefinition connection, ExternalTokens tokens, Clock clock) {
        this.connection = connection;
        this.tokens = tokens;
        this.clock = clock;
    }

    @Override
    public Token requestToken() {
        return request(GRANT.next(GrantContext.initial(connection, clock.instant()))).token();
    }

    @Override
    public TokenResponse request(AuthorizationGrant grant) {
        Optional<String> refresh = grant instanceof com.nimbusds.oauth2.sdk.RefreshTokenGrant r
                ? Optional.of(r.getRefreshToken().getValue()) : Optional.empty();
        ExternalTokens.Issued issued;
        try {
            issued = tokens.get(refresh);
        } catch (OAuthTokenException e) {
            throw e;
        } catch (RuntimeException e) {
            // the other party's message may quote what it sent: only its type is repeated
            throw new TokenEndpointUnavailableException(connection.name(), "the token provider failed ("
                    + e.getClass().getSimpleName() + ")", 0, null, e);
        }
        if (issued == null || issued.accessToken().isBlank() || !VISIBLE_ASCII.matcher(issued.accessToken()).matches()) {
            throw new InvalidTokenResponseException(connection.name(), "the token provider gave no usable access token", 0);
        }
        Instant now = clock.instant();
        var timing = connection.timing();
        Duration lifetime = issued.expiresAt().map(at -> Duration.between(now, at)).orElse(timing.defaultExpiresIn());
        if (lifetime.compareTo(timing.maxExpiresIn()) > 0) {
            lifetime = timing.maxExpiresIn();
        }
        if (lifetime.compareTo(Duration.ofSeconds(1)) < 0) {
            lifetime = Duration.ZERO;
        }
        Token token = Token.of(issued.accessToken(), "Bearer", now, now.plus(lifetime), List.of());
        return new TokenResponse(token, issued.refreshToken().filter(r -> !r.isBlank()));
    }

    @Override
    public String grantName() {
        return GRANT.name();
    }

    /** The grant of an oidc-client connection: the provider decides; a refresh step goes in front as usual. */
    static final TokenGrant GRANT = new TokenGrant() {
        private final GrantType type = new GrantType("oidc_client");

        @Override
        public AuthorizationGrant next(GrantContext context) {
            return new AuthorizationGrant(type) {
                @Override
                public java.util.Map<String, List<String>> toParameters() {
                    return java.util.Map.of();
                }
            };
        }

        @Override
        public String name() {
            return type.getValue();
        }
    };
}
