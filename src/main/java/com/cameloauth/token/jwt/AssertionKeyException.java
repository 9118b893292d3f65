package com.cameloauth.token.jwt;

import com.cameloauth.token.OAuthTokenException;

/**
 * A client assertion or jwt-bearer assertion cannot be built from the configuration: the key file is missing,
 * unreadable, protected by another password, holds no usable private key, or does not fit the algorithm; or an
 * HMAC secret is too short. The message names the file and the problem, never key material or a password.
 * Not retryable: the configuration has to change.
 */
public class AssertionKeyException extends OAuthTokenException {
    public AssertionKeyException(String connection, String problem) {
        super(connection, problem, 0, null, false, null);
    }
}
