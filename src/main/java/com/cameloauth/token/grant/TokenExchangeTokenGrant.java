package com.cameloauth.token.grant;

import java.util.Objects;
import java.util.function.Supplier;

import com.cameloauth.connection.policy.TokenExchangePolicy;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.token.TypelessToken;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;

/**
 * The token exchange grant (RFC 8693): the subject token, asked for at each request, is traded for a token of this
 * client. Audience, resource and scope are added by the token endpoint client from the connection, as for every grant.
 */
public final class TokenExchangeTokenGrant implements TokenGrant {
    private final Supplier<String> subjectToken;
    private final TokenTypeURI subjectTokenType;
    private final TokenTypeURI requestedTokenType;

    /** @param subjectToken gives the subject token when a request is built (another connection's current token) */
    public TokenExchangeTokenGrant(TokenExchangePolicy policy, Supplier<String> subjectToken) {
        this.subjectToken = Objects.requireNonNull(subjectToken, "subjectToken");
        this.subjectTokenType = typeOf(policy.subjectTokenType().toString());
        this.requestedTokenType = policy.requestedTokenType().map(u -> typeOf(u.toString())).orElse(null);
    }

    /** The grant for one given subject token (a message's header): built per call, never cached by the engine. */
    public AuthorizationGrant forSubject(String subject) {
        return new TokenExchangeGrant(new TypelessToken(subject), subjectTokenType, null, null, requestedTokenType, null);
    }

    @Override
    public AuthorizationGrant next(GrantContext context) {
        return forSubject(subjectToken.get());
    }

    @Override
    public String name() {
        return TokenExchangeGrant.GRANT_TYPE.getValue();
    }

    private static TokenTypeURI typeOf(String uri) {
        try {
            return TokenTypeURI.parse(uri);
        } catch (com.nimbusds.oauth2.sdk.ParseException e) {
            throw new IllegalArgumentException("not a token type URI: " + uri, e);
        }
    }
}
