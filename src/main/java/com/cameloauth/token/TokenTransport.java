package com.cameloauth.token;

import java.io.IOException;
import java.time.Duration;

import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPRequest;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPResponse;

/**
 * How a token request reaches the token endpoint: {@link BoundedHttpSender} in production; a fake in tests that
 * throw arbitrary answers at {@link TokenEndpointClient} without a socket.
 */
interface TokenTransport {
    /**
     * Sends one request and reads the whole answer, never longer than {@code deadline} in all (connect, send, read).
     *
     * @throws BoundedHttpSender.DeadlineExceededException when the deadline ended the exchange
     * @throws BoundedHttpSender.BodyTooLargeException     when the body was over the cap (it was not read further)
     */
    ReadOnlyHTTPResponse send(ReadOnlyHTTPRequest request, Duration deadline) throws IOException;
}
