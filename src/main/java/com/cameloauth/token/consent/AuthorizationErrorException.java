package com.cameloauth.token.consent;

import java.util.Optional;

/**
 * The authorization server answered the consent with an error, e.g. {@code access_denied} when the user declined.
 * {@link #errorCode()} and {@link #errorDescription()} are reduced to printable ASCII without HTML or quote
 * characters, so they are safe in a log line; a page still HTML-escapes them.
 */
public class AuthorizationErrorException extends ConsentException {
    private final String errorDescription;

    AuthorizationErrorException(String connection, String errorCode, String errorDescription) {
        super(connection, problem(errorCode, errorDescription), 0, errorCode, null);
        this.errorDescription = errorDescription;
    }

    /** Whether the user (or the server on the user's behalf) refused consent. */
    public boolean isAccessDenied() {
        return "access_denied".equals(errorCode().orElse(null));
    }

    /** The server's {@code error_description}, sanitised, if it sent one. */
    public Optional<String> errorDescription() {
        return Optional.ofNullable(errorDescription);
    }

    private static String problem(String code, String description) {
        return ("access_denied".equals(code) ? "consent was denied at the authorization server"
                : "the authorization server refused the authorization request")
                + (description == null ? "" : " (" + description + ")") + "; start the consent again";
    }
}
