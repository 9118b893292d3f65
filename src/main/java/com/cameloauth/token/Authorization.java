package com.cameloauth.token;

/**
 * The credential to put on one API request: a header name and its value. Made once per token, so the fast path
 * allocates nothing. {@code toString} masks the value.
 *
 * @param headerName  e.g. {@code Authorization}; null for the {@code none} policy
 * @param headerValue e.g. {@code Bearer eyJ...}
 * @param token       the access token behind it, or null for static credentials
 */
public record Authorization(String headerName, String headerValue, Token token) {

    /** No credential at all (policy {@code none}). */
    public static final Authorization NONE = new Authorization(null, null, null);

    @Override
    public String toString() {
        return headerName == null ? "Authorization[none]"
                : "Authorization[" + headerName + (token != null ? ", token " + token.fingerprint() : "") + "]";
    }
}
