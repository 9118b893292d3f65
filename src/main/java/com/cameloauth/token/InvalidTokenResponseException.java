package com.cameloauth.token;

/** The token endpoint answered with something that is not a usable token response: not JSON, a redirect, too large, fields missing. */
public class InvalidTokenResponseException extends OAuthTokenException {
    public InvalidTokenResponseException(String connection, String problem, int httpStatus) {
        super(connection, problem, httpStatus, null, false, null);
    }
}
