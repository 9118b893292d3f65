package com.cameloauth.token;

import java.util.Optional;

/**
 * A token could not be obtained. Carries the connection name, the HTTP status (0 when there was no response) and
 * the RFC 6749 error code when the server sent one. The message says what happened and what to do next; it never
 * contains a secret, a token or a response body.
 */
public class OAuthTokenException extends RuntimeException {
    private final String connection;
    private final int httpStatus;
    private final String errorCode;
    private final boolean retryable;
    private boolean failFast;

    public OAuthTokenException(String connection, String problem, int httpStatus, String errorCode, boolean retryable,
            Throwable cause) {
        super(format(connection, problem, httpStatus, errorCode), cause);
        this.connection = connection;
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
        this.retryable = retryable;
    }

    /** The connection whose token request failed. */
    public String connection() {
        return connection;
    }

    /**
     * The HTTP status of the token endpoint's answer, or 0 when there was none (timeout, refused). A fail-fast
     * repeats the status of the failure that blocked the endpoint, if it had one.
     */
    public int httpStatus() {
        return httpStatus;
    }

    /** The OAuth error code (e.g. {@code invalid_client}), if the server sent one. */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    /**
     * True when no request was made: the endpoint is blocked (circuit open, Retry-After, rejected client) and the
     * caller was turned away at once.
     */
    public boolean isFailFast() {
        return failFast;
    }

    OAuthTokenException markFailFast() {
        failFast = true;
        return this;
    }

    /** Whether another attempt may succeed without a configuration change. */
    public boolean isRetryable() {
        return retryable;
    }

    private static String format(String connection, String problem, int status, String errorCode) {
        StringBuilder sb = new StringBuilder("OAuth connection '").append(connection).append("': ").append(problem);
        if (status > 0 || errorCode != null) {
            sb.append(" [");
            if (status > 0) {
                sb.append("HTTP ").append(status);
            }
            if (errorCode != null) {
                sb.append(status > 0 ? ", " : "").append("error=").append(errorCode);
            }
            sb.append(']');
        }
        return sb.toString();
    }
}
