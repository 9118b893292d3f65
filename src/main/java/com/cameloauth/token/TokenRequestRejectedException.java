package com.cameloauth.token;

/** The token endpoint refused the request with an OAuth error such as {@code invalid_scope} or {@code invalid_request}. Not retried. */
public class TokenRequestRejectedException extends OAuthTokenException {
    public TokenRequestRejectedException(String connection, String problem, int httpStatus, String errorCode) {
        super(connection, problem, httpStatus, errorCode, false, null);
    }
}
