package com.cameloauth.connection.policy;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import com.cameloauth.connection.Secret;

/**
 * A private key file that signs assertions ({@code private_key_jwt}, {@code jwt-bearer}): PEM (PKCS#8, PKCS#1,
 * SEC1), PKCS#12 or JWK/JWK Set. The file is read when the connection starts, and again after the token endpoint
 * refuses the client, so a rotated key file is picked up. {@code toString} never shows the password.
 *
 * @param file     the key file
 * @param password the PKCS#12 password
 * @param alias    the PKCS#12 entry; empty: the only private key entry
 * @param keyId    the {@code kid} to send; empty: the JWK's kid, else the RFC 7638 thumbprint of the public key
 */
public record AssertionKey(Path file, Optional<Secret> password, Optional<String> alias, Optional<String> keyId) {

    public AssertionKey {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(keyId, "keyId");
    }
}
