package com.cameloauth.token.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.cameloauth.connection.Secret;
import com.cameloauth.connection.TlsSettings;
import com.cameloauth.connection.TlsSettings.StoreFile;

/**
 * Builds a connection's {@link SSLContext} from its {@code tls-key-store} and {@code tls-trust-store} with the JDK's
 * KeyStore, KeyManagerFactory and TrustManagerFactory. PKCS#12 and PEM (told apart by content) both work. The default
 * trust managers verify the server's chain, and the HTTP clients verify its host name: nothing here can turn that off.
 * Errors name the connection, the key and the file, never a password.
 */
public final class TlsContexts {
    private static final char[] IN_MEMORY = new char[0];

    private TlsContexts() {
    }

    /** The connection's context; empty when it uses the JVM's defaults (no key store, no trust store). */
    public static Optional<SSLContext> of(String connection, TlsSettings tls) {
        if (tls.isDefault()) {
            return Optional.empty();
        }
        try {
            KeyManagerFactory keys = null;
            if (tls.keyStore().isPresent()) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(keyStore(connection, tls.keyStore().get(), tls.keyAlias()), IN_MEMORY);
            }
            TrustManagerFactory trust = null;
            if (tls.trustStore().isPresent()) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(trustStore(connection, tls.trustStore().get()));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return Optional.of(context);
        } catch (GeneralSecurityException e) {
            throw new TlsConfigurationException(connection, "tls", "the TLS context cannot be built ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** The one key entry to present (tls-key-alias, else the only or first), alone in an in-memory store. */
    private static KeyStore keyStore(String connection, StoreFile file, Optional<String> alias)
            throws GeneralSecurityException {
        KeyStore chosen = empty();
        byte[] content = read(connection, file);
        if (Pem.isPem(content)) {
            String text = new String(content, StandardCharsets.US_ASCII);
            List<Certificate> chain;
            PrivateKey key;
            try {
                chain = Pem.certificates(text);
                key = Pem.privateKey(text);
            } catch (IllegalArgumentException e) {
                throw problem(connection, file, e.getMessage());
            }
            if (chain.isEmpty()) {
                throw problem(connection, file, "the PEM file has a private key but no CERTIFICATE block; put the client"
                        + " certificate (and its chain) in the same file");
            }
            chosen.setKeyEntry("client", key, IN_MEMORY, chain.toArray(Certificate[]::new));
            return chosen;
        }
        KeyStore pkcs12 = pkcs12(connection, file, content);
        List<String> keyAliases = new ArrayList<>();
        for (String a : Collections.list(pkcs12.aliases())) {
            if (pkcs12.isKeyEntry(a)) {
                keyAliases.add(a);
            }
        }
        if (keyAliases.isEmpty()) {
            throw problem(connection, file, "the PKCS#12 file holds no private key entry (only certificates?)");
        }
        String entry = alias.orElse(keyAliases.get(0));
        if (!keyAliases.contains(entry)) {
            throw new TlsConfigurationException(connection, "tls-key-alias", "'" + entry + "' is not a key entry of "
                    + file.path() + " (key entries: " + String.join(", ", keyAliases) + ")");
        }
        char[] password = password(file);
        try {
            chosen.setKeyEntry("client", pkcs12.getKey(entry, password), IN_MEMORY, pkcs12.getCertificateChain(entry));
        } catch (UnrecoverableKeyException e) {
            throw problem(connection, file, "the key entry '" + entry + "' cannot be read with tls-key-store-password"
                    + " (a key with its own, different password is not supported)");
        }
        return chosen;
    }

    private static KeyStore trustStore(String connection, StoreFile file) throws GeneralSecurityException {
        byte[] content = read(connection, file);
        KeyStore trusted = empty();
        if (Pem.isPem(content)) {
            List<Certificate> certificates;
            try {
                certificates = Pem.certificates(new String(content, StandardCharsets.US_ASCII));
            } catch (IllegalArgumentException e) {
                throw problem(connection, file, e.getMessage());
            }
            for (int i = 0; i < certificates.size(); i++) {
                trusted.setCertificateEntry("ca-" + i, certificates.get(i));
            }
        } else {
            KeyStore pkcs12 = pkcs12(connection, file, content);
            for (String a : Collections.list(pkcs12.aliases())) {
                Certificate certificate = pkcs12.getCertificate(a);
                if (certificate != null) {
                    trusted.setCertificateEntry(a, certificate);
                }
            }
        }
        if (trusted.size() == 0) {
            throw problem(connection, file, "the file holds no certificate to trust");
        }
        return trusted;
    }

    private static KeyStore pkcs12(String connection, StoreFile file, byte[] content) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(new ByteArrayInputStream(content), password(file));
        } catch (IOException e) {
            boolean badPassword = e.getCause() instanceof UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("password");
            throw problem(connection, file, badPassword ? "the file cannot be opened with " + file.key() + "-password"
                    + " (wrong or missing password)" : "the file is neither PEM nor a readable PKCS#12 file");
        }
        return store;
    }

    private static char[] password(StoreFile file) {
        return file.password().map(Secret::reveal).map(String::toCharArray).orElse(null);
    }

    private static byte[] read(String connection, StoreFile file) {
        try {
            return Files.readAllBytes(file.path());
        } catch (IOException e) {
            throw problem(connection, file, "the file cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static KeyStore empty() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException("an empty in-memory key store cannot be made", e);
        }
        return store;
    }

    private static TlsConfigurationException problem(String connection, StoreFile file, String message) {
        return new TlsConfigurationException(connection, file.key(), "file '" + file.path() + "': " + message);
    }
}
