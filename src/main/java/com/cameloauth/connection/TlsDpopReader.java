package com.cameloauth.connection;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

import com.cameloauth.connection.ConnectionDefinition.CredentialHeader;
import com.cameloauth.connection.TlsSettings.StoreFile;

/**
 * Reads the TLS keys ({@code tls-key-store}, {@code tls-trust-store} and their passwords, {@code tls-key-alias}) and the
 * DPoP keys ({@code dpop}, {@code dpop-algorithm}). Only the files' presence is checked here; their content is read
 * when the engine starts, with errors naming the connection, the key and the file (never a password).
 */
final class TlsDpopReader {
    private final OAuthConfig.Connection c;
    private final KeyReader keys;

    TlsDpopReader(OAuthConfig.Connection c, KeyReader keys) {
        this.c = c;
        this.keys = keys;
    }

    TlsSettings tls() {
        Optional<StoreFile> keyStore = store("tls-key-store", c.tlsKeyStore(), "tls-key-store-password",
                c.tlsKeyStorePassword());
        Optional<StoreFile> trustStore = store("tls-trust-store", c.tlsTrustStore(), "tls-trust-store-password",
                c.tlsTrustStorePassword());
        Optional<String> alias = keys.nonBlank("tls-key-alias", c.tlsKeyAlias());
        if (alias.isPresent() && keyStore.isEmpty() && keys.nonBlank("tls-key-store", c.tlsKeyStore()).isEmpty()) {
            keys.problem("tls-key-alias", "is set, but there is no tls-key-store to pick the key from");
        }
        return new TlsSettings(keyStore, alias, trustStore);
    }

    private Optional<StoreFile> store(String key, Optional<String> value, String passwordKey,
            Optional<String> passwordValue) {
        Optional<String> file = keys.nonBlank(key, value);
        // A password may be an empty string on purpose (a PKCS#12 file made with -passout pass:): not trimmed away.
        Optional<Secret> password = keys.value(passwordKey, passwordValue).map(Secret::of);
        if (file.isEmpty()) {
            if (password.isPresent() && !password.get().reveal().isEmpty()) {
                keys.problem(passwordKey, "is set, but " + key + " is not");
            }
            return Optional.empty();
        }
        Path path;
        try {
            path = Path.of(file.get());
        } catch (InvalidPathException e) {
            keys.problem(key, "'" + HttpHeaderNames.printable(file.get()) + "' is not a valid file path");
            return Optional.empty();
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            keys.problem(key, "file '" + path + "' does not exist or cannot be read");
            return Optional.empty();
        }
        return Optional.of(new StoreFile(key, path, password));
    }

    /** DPoP settings when {@code dpop=true}: OAuth policies only, and their tokens go in {@code Authorization: DPoP}. */
    Optional<DpopSettings> dpop(Policy policy, CredentialHeader header) {
        boolean on = keys.bool("dpop", c.dpop(), false);
        Optional<String> algorithm = keys.nonBlank("dpop-algorithm", c.dpopAlgorithm());
        if (!on) {
            return Optional.empty();
        }
        if (policy != null && !policy.isOAuth()) {
            keys.problem("dpop", "DPoP binds OAuth access tokens; policy '" + policy + "' has none (set dpop=false)");
            return Optional.empty();
        }
        if (!header.name().equalsIgnoreCase("Authorization")) {
            keys.problem("header-name", "must be Authorization with dpop=true (RFC 9449 sends 'Authorization: DPoP')");
        }
        if (keys.nonBlank("header-prefix", c.headerPrefix()).isPresent()) {
            keys.problem("header-prefix", "must not be set with dpop=true: a DPoP-bound token is sent as 'DPoP <token>'");
        }
        String alg = algorithm.map(a -> a.toUpperCase(java.util.Locale.ROOT)).orElse("ES256");
        if (!DpopSettings.ALGORITHMS.contains(alg)) {
            keys.problem("dpop-algorithm", "'" + HttpHeaderNames.printable(algorithm.get()) + "' is not supported (use "
                    + String.join(", ", DpopSettings.ALGORITHMS) + ")");
            return Optional.empty();
        }
        return Optional.of(new DpopSettings(alg));
    }
}
