package com.cameloauth.token.consent;

/**
 * The callback is not a usable authorization response: no {@code code}, a repeated parameter, or a malformed query.
 * Nothing was redeemed.
 */
public class InvalidCallbackException extends ConsentException {
    InvalidCallbackException(String connection, String problem) {
        super(connection, problem, 0, null, null);
    }
}
