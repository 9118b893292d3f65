package com.cameloauth.token.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import java.security.PrivateKey;
import java.util.Objects;

/**
 * A private key ready to sign assertions: the algorithm it was checked against, the key id put in the JWS
 * {@code kid} header, and the public half as a JWK (what the authorization server must be given).
 * {@code toString} shows neither the private key nor its source.
 */
public record SigningKey(JWSAlgorithm algorithm, PrivateKey privateKey, String keyId, JWK publicJwk) {
    public SigningKey {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(publicJwk, "publicJwk");
    }

    @Override
    public String toString() {
        return "SigningKey[alg=" + algorithm + ", kid=" + keyId + ", type=" + privateKey.getAlgorithm()
                + ", privateKey=***]";
    }
}
