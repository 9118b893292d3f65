package com.cameloauth.connection.policy;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.cameloauth.connection.Policy;

/**
 * {@code jwt-bearer} (RFC 7523 2.1, "JWT User Assertion"): the client presents an assertion it signs itself with
 * {@link #key()}, naming the user it acts for in {@code sub}, and gets an access token for that user. The client may
 * authenticate as well (any {@code client-auth}; {@code none} when the assertion is all the server wants).
 *
 * @param client      the client and its authorization server
 * @param key         the key that signs the assertion
 * @param algorithm   RS256, PS256 or ES256 (and 384/512)
 * @param subject     the {@code sub} claim: the user (or service account) the token is for
 * @param issuer      the {@code iss} claim; the identity provider the server trusts (often the client id)
 * @param audience    the {@code aud} claim; empty: the token endpoint URL
 * @param extraClaims further claims, e.g. {@code scope}; never a registered one
 * @param lifetime    from {@code iat} to {@code exp}
 */
public record JwtBearerPolicy(ClientRegistration client, AssertionKey key, String algorithm, String subject,
        String issuer, Optional<String> audience, Map<String, String> extraClaims, Duration lifetime)
        implements SecurityPolicy, OAuthPolicy {

    public JwtBearerPolicy {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audience, "audience");
        extraClaims = Map.copyOf(extraClaims);
        Objects.requireNonNull(lifetime, "lifetime");
    }

    @Override
    public Policy policy() {
        return Policy.JWT_BEARER;
    }
}
