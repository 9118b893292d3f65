package com.cameloauth.token.consent;

import com.cameloauth.token.OAuthTokenException;

/**
 * A consent (authorization code) transaction could not be completed. The family of {@link OAuthTokenException}: it
 * carries the connection name (null when the callback names no transaction we know), the OAuth error code when the
 * authorization server sent one, and an HTTP status that is 0 when no token request was made. A callback endpoint
 * answers every subclass thrown by {@link PendingAuthorizations#complete} with 400 and the {@link #getMessage()
 * message}, HTML-escaped; nothing was redeemed. The message never contains the code, the verifier or the state.
 */
public class ConsentException extends OAuthTokenException {
    private final boolean connectionKnown;
    private final String message;

    ConsentException(String connection, String problem, int httpStatus, String errorCode, Throwable cause) {
        super(connection == null ? "(unknown)" : connection, problem, httpStatus, errorCode, false, cause);
        this.connectionKnown = connection != null;
        this.message = connectionKnown ? super.getMessage() : "OAuth consent callback: " + problem;
    }

    /** The connection of the transaction, or null when the callback could not be tied to one. */
    @Override
    public String connection() {
        return connectionKnown ? super.connection() : null;
    }

    @Override
    public String getMessage() {
        return message;
    }
}
