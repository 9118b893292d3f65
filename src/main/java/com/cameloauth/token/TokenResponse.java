package com.cameloauth.token;

import java.util.Objects;
import java.util.Optional;

import com.cameloauth.token.store.TokenSet;

/**
 * A successful token response: the access token and, when the server issued one, a refresh token. {@code toString}
 * shows fingerprints only.
 *
 * @param token        the access token
 * @param refreshToken the refresh token, if the response had one
 */
record TokenResponse(Token token, Optional<String> refreshToken) {

    TokenResponse {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(refreshToken, "refreshToken");
    }

    /** As a token set to store; a response without a refresh token keeps {@code previous} (RFC 6749 6). */
    TokenSet toTokenSet(Optional<String> previous) {
        return new TokenSet(token.value(), token.type(), token.receivedAt(), token.expiresAt(), token.scopes(),
                refreshToken.isPresent() ? refreshToken : previous, Optional.empty());
    }

    @Override
    public String toString() {
        return "TokenResponse[" + token + ", refresh=" + refreshToken.map(TokenSet::fingerprint).orElse("none") + "]";
    }
}
