package com.cameloauth.auth;

import java.net.URI;
import java.util.Optional;

/**
 * Computes a credential header for one HTTP request from the request itself, afresh for every attempt (OAuth 1.0a
 * signatures now, DPoP proofs later). Unlike a cached bearer token, the result is never reused: a replay is signed
 * again. Implementations are safe for concurrent use and never log what they compute.
 */
public interface RequestSigner {

    /**
     * The header to send with this request.
     *
     * @param method   the HTTP method as sent, e.g. {@code GET}
     * @param uri      the full URL as sent, with its (encoded) query
     * @param formBody the body when it is {@code application/x-www-form-urlencoded} text, else empty
     */
    SignedHeader sign(String method, URI uri, Optional<String> formBody);

    /** A header name and value for one request; {@code toString} masks the value. */
    record SignedHeader(String name, String value) {
        @Override
        public String toString() {
            return "SignedHeader[" + name + "]";
        }
    }
}
