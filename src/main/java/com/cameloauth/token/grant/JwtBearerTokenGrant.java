package com.cameloauth.token.grant;

import java.time.Clock;
import java.util.Objects;

import com.cameloauth.connection.policy.JwtBearerPolicy;
import com.cameloauth.token.jwt.JwtBearerAssertion;
import com.cameloauth.token.jwt.SigningKeys;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.GrantType;

/**
 * The JWT bearer grant (RFC 7523 2.1): every token request carries a freshly signed assertion (own {@code jti}, short
 * {@code exp}) naming the configured subject. The key file is loaded when the grant is built, so a bad key fails at
 * start-up with a message naming the connection and the file.
 */
public final class JwtBearerTokenGrant implements TokenGrant {
    private final JwtBearerAssertion assertion;

    public JwtBearerTokenGrant(String connection, JwtBearerPolicy policy, Clock clock) {
        Objects.requireNonNull(policy, "policy");
        this.assertion = new JwtBearerAssertion(connection, SigningKeys.load(connection, policy.key(),
                policy.algorithm()), policy.issuer(), policy.subject(), policy.audience().orElse(null),
                policy.extraClaims(), policy.lifetime(), clock);
    }

    @Override
    public AuthorizationGrant next(GrantContext context) {
        return assertion.forRequest(context.connection().oauthClient().orElseThrow().tokenUrl());
    }

    @Override
    public String name() {
        return GrantType.JWT_BEARER.getValue();
    }
}
