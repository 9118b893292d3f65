package com.cameloauth.token.discovery;

import com.cameloauth.token.OAuthTokenException;

/**
 * The issuer's metadata cannot be used: its {@code issuer} differs from the configured one (SECURITY.md C10), an
 * endpoint in it is not https, or it is not a metadata document. Not retryable: the configuration or the server must
 * change. (A metadata fetch that merely failed is a {@code TokenEndpointUnavailableException}.)
 */
public class DiscoveryException extends OAuthTokenException {
    public DiscoveryException(String connection, String problem, int httpStatus) {
        super(connection, problem, httpStatus, null, false, null);
    }
}
