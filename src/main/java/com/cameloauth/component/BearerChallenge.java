package com.cameloauth.component;

import java.util.Map;

import com.nimbusds.oauth2.sdk.token.BearerTokenError;
import com.nimbusds.oauth2.sdk.token.DPoPTokenError;

/** Reads the WWW-Authenticate answer of a 401: does it say the token may be stale (so a new one may help)? */
final class BearerChallenge {
    private BearerChallenge() {
    }

    /**
     * True when no challenge carries an error other than {@code invalid_token}: no header, no error code, or
     * {@code invalid_token}. Several WWW-Authenticate headers arrive as a list; each is read.
     */
    static boolean mayBeStaleToken(Object wwwAuthenticate) {
        if (wwwAuthenticate instanceof Iterable<?> challenges) {
            for (Object challenge : challenges) {
                if (!mayBeStaleToken(challenge == null ? null : challenge.toString())) {
                    return false;
                }
            }
            return true;
        }
        return mayBeStaleToken(wwwAuthenticate == null ? null : wwwAuthenticate.toString());
    }

    private static boolean mayBeStaleToken(String wwwAuthenticate) {
        if (wwwAuthenticate == null || !wwwAuthenticate.contains("error")) {
            return true;
        }
        try {
            // A DPoP challenge (RFC 9449 7.1) has the same error codes; use_dpop_nonce is not a stale token.
            String code = wwwAuthenticate.trim().regionMatches(true, 0, "DPoP", 0, 4)
                    ? DPoPTokenError.parse(wwwAuthenticate).getCode() : BearerTokenError.parse(wwwAuthenticate).getCode();
            return code == null || BearerTokenError.INVALID_TOKEN.getCode().equals(code);
        } catch (Exception e) {
            return true;
        }
    }

    /** camel-http's exception keeps response header names as the server spelled them (proxies send lower case). */
    static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        String exact = headers.get(name);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, String> entry : headers.entrySet()) {
            if (name.equalsIgnoreCase(entry.getKey())) {
                return entry.getValue();
            }
        }
        return null;
    }
}
