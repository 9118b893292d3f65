package com.cameloauth.token;

/**
 * The token endpoint rejected the client itself ({@code invalid_client}, or {@code unauthorized_client} as Keycloak
 * answers a wrong secret). Not retried: the client id, secret or client-auth method must be fixed.
 */
public class InvalidClientException extends OAuthTokenException {
    public InvalidClientException(String connection, String problem, int httpStatus, String errorCode) {
        super(connection, problem, httpStatus, errorCode, false, null);
    }
}
