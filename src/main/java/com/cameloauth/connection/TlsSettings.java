package com.cameloauth.connection;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A connection's own TLS material, used for its token requests and its API calls alike: a key store with the client
 * certificate for mutual TLS (RFC 8705), a trust store of the CA certificates to trust instead of the JVM's. Both are
 * PKCS#12 or PEM files. Server certificate and host name verification stay on; there is no trust-all switch (C9).
 *
 * @param keyStore   the client certificate and its private key; empty without mutual TLS
 * @param keyAlias   which entry of a PKCS#12 key store to present; empty for the only (or first) key entry
 * @param trustStore the CA certificates to trust; empty for the JVM's default trust store
 */
public record TlsSettings(Optional<StoreFile> keyStore, Optional<String> keyAlias, Optional<StoreFile> trustStore) {

    /** No key store, the JVM's trust store. */
    public static final TlsSettings DEFAULT = new TlsSettings(Optional.empty(), Optional.empty(), Optional.empty());

    public TlsSettings {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(keyAlias, "keyAlias");
        Objects.requireNonNull(trustStore, "trustStore");
    }

    /** Whether the JVM's defaults apply: no key store, no trust store. */
    public boolean isDefault() {
        return keyStore.isEmpty() && trustStore.isEmpty();
    }

    /**
     * A key or trust store file and its password; {@code toString} masks the password.
     *
     * @param key      the connection key that named it ({@code tls-key-store} or {@code tls-trust-store}), for messages
     * @param path     the file: PKCS#12, or PEM
     * @param password the PKCS#12 password; empty for PEM or a PKCS#12 file without one
     */
    public record StoreFile(String key, Path path, Optional<Secret> password) {
        public StoreFile {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "StoreFile[" + key + "=" + path + (password.isPresent() ? ", password ******" : "") + "]";
        }
    }
}
