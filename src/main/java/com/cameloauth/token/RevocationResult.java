package com.cameloauth.token;

import java.util.List;

/**
 * What a revocation did. The local token set is dropped in every case; the server was asked only when a revocation
 * endpoint is known (revocation-url, or the issuer's metadata).
 *
 * @param connection the connection
 * @param revoked    the token types the server confirmed revoked, in the order sent: {@code refresh_token}, then
 *                   {@code access_token}
 * @param failures   what went wrong at the server (RFC 7009 errors, 503, no answer), never a token; empty when all went well
 * @param serverSide whether a revocation endpoint was known and asked
 * @param state      the connection's state afterwards: NEEDS_CONSENT for consent-based policies, else ready to fetch a
 *                   new token
 */
public record RevocationResult(String connection, List<String> revoked, List<String> failures, boolean serverSide,
        ConnectionState state) {

    public RevocationResult {
        revoked = List.copyOf(revoked);
        failures = List.copyOf(failures);
    }
}
