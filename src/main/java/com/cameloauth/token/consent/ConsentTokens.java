package com.cameloauth.token.consent;

import java.util.Objects;
import java.util.Optional;

import com.cameloauth.connection.Secret;
import com.cameloauth.token.Token;

/**
 * What redeeming an authorization code gave: the access token and, when the server issued one, the refresh token
 * that keeps the connection alive after the access token expires. {@code toString} masks both.
 *
 * @param accessToken  the access token, with its local expiry
 * @param refreshToken the refresh token, if any: persist it, never log it
 */
public record ConsentTokens(Token accessToken, Optional<Secret> refreshToken) {
    public ConsentTokens {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(refreshToken, "refreshToken");
    }
}
