package com.cameloauth.token;

/**
 * The token endpoint answered {@code invalid_grant}: the refresh token (or code, or password) is expired, revoked or
 * already used. For a refresh token the engine drops it and starts over (or asks for consent); it never retries it.
 */
public class InvalidGrantException extends TokenRequestRejectedException {
    public InvalidGrantException(String connection, String problem, int httpStatus) {
        super(connection, problem, httpStatus, "invalid_grant");
    }
}
