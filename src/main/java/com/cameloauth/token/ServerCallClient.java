package com.cameloauth.token;

import java.io.IOException;
import java.net.URI;

import com.cameloauth.connection.ConnectionDefinition;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPResponse;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;

import net.minidev.json.JSONObject;

/**
 * Sends a Nimbus-built request to one of the authorization server's other endpoints (revocation, introspection)
 * through the bounded sender: no redirect, capped body, request-timeout. Failures become typed exceptions whose
 * message names the endpoint and the RFC error code, never a token or the body.
 */
final class ServerCallClient {
    private final ConnectionDefinition connection;
    private final TokenTransport transport;

    ServerCallClient(ConnectionDefinition connection, TokenTransport transport) {
        this.connection = connection;
        this.transport = transport;
    }

    /** Sends the request; returns the answer when it is a 2xx, else throws. {@code what}: "revocation", ... */
    ReadOnlyHTTPResponse send(HTTPRequest request, String what) {
        request.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connection.timeouts().connect().toMillis()));
        request.setReadTimeout((int) Math.min(Integer.MAX_VALUE, connection.timeouts().read().toMillis()));
        request.setFollowRedirects(false);
        ReadOnlyHTTPResponse response;
        try {
            response = transport.send(request, connection.timeouts().request());
        } catch (IOException e) {
            throw new TokenEndpointUnavailableException(name(), what + " request to " + shown(request.getURI())
                    + " failed: " + e.getClass().getSimpleName(), 0, null, e);
        }
        int status = response.getStatusCode();
        if (status >= 200 && status < 300) {
            return response;
        }
        if (status >= 300 && status < 400) {
            throw new TokenRequestRejectedException(name(), what + " endpoint " + shown(request.getURI())
                    + " answered with a redirect, which is never followed", status, null);
        }
        String code = errorCode(response);
        if (status >= 500 || status == 429 || status == 408) {
            throw new TokenEndpointUnavailableException(name(), what + " endpoint " + shown(request.getURI())
                    + " is unavailable" + (code == null ? "" : " (" + code + ")"), status, null, null);
        }
        if (status == 401 || "invalid_client".equals(code) || "unauthorized_client".equals(code)) {
            throw new InvalidClientException(name(), what + " endpoint rejected the client; check client-id,"
                    + " client-secret and client-auth", status, code);
        }
        throw new TokenRequestRejectedException(name(), what + " endpoint refused the request"
                + ("unsupported_token_type".equals(code) ? " (it does not revoke this type of token)" : ""), status, code);
    }

    /** The body as a JSON object, or a typed failure. */
    JSONObject json(ReadOnlyHTTPResponse response, String what) {
        try {
            return JSONObjectUtils.parse(response.getBody() == null ? "" : response.getBody());
        } catch (ParseException e) {
            throw new InvalidTokenResponseException(name(), what + " answer is not a JSON object", response.getStatusCode());
        }
    }

    /** The RFC 6749 error code of an error answer, when it has a well-formed one. */
    private static String errorCode(ReadOnlyHTTPResponse response) {
        try {
            ErrorObject error = TokenErrorResponse.parse(JSONObjectUtils.parse(response.getBody())).getErrorObject();
            String code = error == null ? null : error.getCode();
            return code != null && code.matches("[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]{1,64}") ? code : null;
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    static String shown(URI u) {
        return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort())
                + (u.getRawPath() == null ? "" : u.getRawPath());
    }

    private String name() {
        return connection.name();
    }
}
