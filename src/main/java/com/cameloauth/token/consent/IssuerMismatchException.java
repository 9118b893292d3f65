package com.cameloauth.token.consent;

/**
 * The callback's {@code iss} (RFC 9207) differs from the connection's configured issuer: the response may come from
 * another authorization server (mix-up attack, C3). The code was not redeemed.
 */
public class IssuerMismatchException extends ConsentException {
    IssuerMismatchException(String connection, String expected, String received) {
        super(connection, "the authorization response comes from issuer '" + CallbackText.clean(received)
                + "', not from the configured issuer '" + expected + "'; the code was not redeemed. Check the"
                + " connection's issuer, and start the consent again", 0, null, null);
    }
}
