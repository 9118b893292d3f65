package com.cameloauth.token;

import java.time.Duration;
import java.util.Optional;

/**
 * The token endpoint could not be reached or answered with a server error (5xx, timeout, connection reset), asked
 * us to wait (429/503 with Retry-After), or is being spared while the circuit is open. Retryable.
 */
public class TokenEndpointUnavailableException extends OAuthTokenException {
    private final Duration retryAfter;

    public TokenEndpointUnavailableException(String connection, String problem, int httpStatus, Duration retryAfter,
            Throwable cause) {
        super(connection, problem, httpStatus, null, true, cause);
        this.retryAfter = retryAfter;
    }

    /** How long the server asked us to wait, when it sent Retry-After. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
