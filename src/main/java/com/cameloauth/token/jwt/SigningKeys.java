package com.cameloauth.token.jwt;

import com.cameloauth.connection.Secret;
import com.cameloauth.connection.policy.AssertionKey;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Loads the private key that signs client assertions ({@code private_key_jwt}) and jwt-bearer assertions from a PEM
 * file (PKCS#8, PKCS#1 or SEC1, unencrypted), a PKCS#12 file (password, optional alias) or a JWK / JWK Set file,
 * and checks it against the algorithm: RS* and PS* need RSA of at least 2048 bits, ES256/ES384/ES512 need P-256,
 * P-384, P-521. The key id is the one given, else the JWK's {@code kid}, else the RFC 7638 thumbprint of the public
 * key. Every failure is an {@link AssertionKeyException} naming the file; no message carries key material or the
 * password, and parser messages (which may quote the file) are not passed on.
 */
public final class SigningKeys {
    private static final Set<JWSAlgorithm> SUPPORTED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    private static final int MIN_RSA_BITS = 2048;

    private SigningKeys() {
    }

    /**
     * @param connection the connection name, for the error message
     * @param file PEM, PKCS#12 ({@code .p12}/{@code .pfx} or any binary file) or JWK/JWKS (JSON)
     * @param password the PKCS#12 password; ignored for PEM and JWK; null means empty
     * @param alias the PKCS#12 entry to use; null: the only private key entry
     * @param keyId the {@code kid} to send; null: from the JWK, else the RFC 7638 thumbprint. For a JWK Set it also
     *        selects the key when one has that kid
     * @param algorithm RS256, PS256, ES256 (and the 384/512 variants)
     */
    public static SigningKey load(String connection, Path file, char[] password, String alias, String keyId,
            JWSAlgorithm algorithm) {
        Problem problem = message -> new AssertionKeyException(connection, "signing key file '" + file + "': "
                + message);
        if (algorithm == null || !SUPPORTED.contains(algorithm)) {
            throw problem.of("algorithm '" + algorithm + "' cannot sign a client assertion with a private key; use "
                    + "RS256, PS256 or ES256 (HS256 is client_secret_jwt)");
        }
        if (file == null || !Files.isRegularFile(file)) {
            throw problem.of("no such file (check client-assertion-key)");
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw problem.of("cannot be read (" + e.getClass().getSimpleName() + "); check its permissions");
        }
        String text = new String(content, StandardCharsets.UTF_8).trim();
        Loaded loaded;
        if (text.startsWith("{")) {
            loaded = fromJwk(text, keyId, problem);
        } else if (text.contains("-----BEGIN")) {
            try {
                loaded = new Loaded(PemKeys.read(text), null, null);
            } catch (IllegalArgumentException e) {
                throw problem.of(e.getMessage()); // our own messages, free of key material
            }
        } else {
            loaded = fromPkcs12(content, password, alias, problem);
        }
        return finish(loaded, keyId, algorithm, problem);
    }

    /** {@link #load(String, Path, char[], String, String, JWSAlgorithm)} with a connection's key settings. */
    public static SigningKey load(String connection, AssertionKey key, String algorithm) {
        char[] password = key.password().map(Secret::reveal).map(String::toCharArray).orElse(null);
        try {
            return load(connection, key.file(), password, key.alias().orElse(null), key.keyId().orElse(null),
                    JWSAlgorithm.parse(algorithm));
        } finally {
            if (password != null) {
                java.util.Arrays.fill(password, '\0');
            }
        }
    }

    private static SigningKey finish(Loaded loaded, String keyId, JWSAlgorithm algorithm, Problem problem) {
        PrivateKey key = loaded.privateKey;
        JWK publicJwk;
        try {
            if (JWSAlgorithm.Family.RSA.contains(algorithm)) {
                if (!(key instanceof RSAPrivateKey rsa)) {
                    throw problem.of(algorithm + " needs an RSA key, but the file holds an " + key.getAlgorithm()
                            + " key");
                }
                int bits = rsa.getModulus().bitLength();
                if (bits < MIN_RSA_BITS) {
                    throw problem.of("the RSA key has " + bits + " bits; " + algorithm + " needs at least "
                            + MIN_RSA_BITS);
                }
                PublicKey pub = loaded.publicKey != null ? loaded.publicKey : rsaPublic(rsa, problem);
                publicJwk = new RSAKey.Builder((RSAPublicKey) pub).build();
            } else {
                Curve wanted = Curve.forJWSAlgorithm(algorithm).iterator().next();
                if (!(key instanceof ECPrivateKey ec)) {
                    throw problem.of(algorithm + " needs an EC " + wanted + " key, but the file holds an "
                            + key.getAlgorithm() + " key");
                }
                Curve curve = Curve.forECParameterSpec(ec.getParams());
                if (!wanted.equals(curve)) {
                    throw problem.of(algorithm + " needs an EC key on " + wanted + ", but the key is on "
                            + (curve == null ? "an unknown curve" : curve.toString()));
                }
                PublicKey pub = loaded.publicKey != null ? loaded.publicKey : EcPublicKeys.derive(ec);
                publicJwk = new ECKey.Builder(wanted, (ECPublicKey) pub).build();
            }
            String kid = keyId != null && !keyId.isBlank() ? keyId
                    : loaded.jwkKeyId != null ? loaded.jwkKeyId : publicJwk.computeThumbprint().toString();
            return new SigningKey(algorithm, key, kid, rebuild(publicJwk, kid, algorithm));
        } catch (GeneralSecurityException | JOSEException e) {
            throw problem.of("its public key cannot be computed (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static JWK rebuild(JWK jwk, String kid, JWSAlgorithm algorithm) {
        if (jwk instanceof RSAKey rsa) {
            return new RSAKey.Builder(rsa).keyID(kid).algorithm(algorithm).keyUse(KeyUse.SIGNATURE).build();
        }
        return new ECKey.Builder((ECKey) jwk).keyID(kid).algorithm(algorithm).keyUse(KeyUse.SIGNATURE).build();
    }

    private static PublicKey rsaPublic(RSAPrivateKey rsa, Problem problem) throws GeneralSecurityException {
        if (!(rsa instanceof RSAPrivateCrtKey crt)) {
            throw problem.of("the RSA key has no public exponent (not a CRT key); use a PKCS#8 or PKCS#12 file");
        }
        return java.security.KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
    }

    private static Loaded fromPkcs12(byte[] content, char[] password, String alias, Problem problem) {
        char[] pw = password == null ? new char[0] : password;
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(content), pw);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw problem.of("wrong password for the PKCS#12 file (check client-assertion-key-password)");
            }
            throw problem.of("is neither a PEM, a JWK nor a readable PKCS#12 file");
        } catch (GeneralSecurityException e) {
            throw problem.of("the PKCS#12 file cannot be opened (" + e.getClass().getSimpleName() + ")");
        }
        try {
            List<String> keyAliases = new ArrayList<>();
            for (String a : Collections.list(store.aliases())) {
                if (store.isKeyEntry(a)) {
                    keyAliases.add(a);
                }
            }
            String chosen = alias;
            if (chosen == null || chosen.isBlank()) {
                if (keyAliases.size() != 1) {
                    throw problem.of(keyAliases.isEmpty() ? "the PKCS#12 file holds no private key"
                            : "the PKCS#12 file holds " + keyAliases.size() + " private keys " + keyAliases
                                    + "; set client-assertion-key-alias");
                }
                chosen = keyAliases.get(0);
            } else if (!keyAliases.contains(chosen)) {
                throw problem.of("the PKCS#12 file has no private key entry '" + chosen + "' (key entries: "
                        + keyAliases + ")");
            }
            if (!(store.getKey(chosen, pw) instanceof PrivateKey key)) {
                throw problem.of("the PKCS#12 entry '" + chosen + "' is not a private key");
            }
            Certificate cert = store.getCertificate(chosen);
            return new Loaded(key, cert == null ? null : cert.getPublicKey(), null);
        } catch (UnrecoverableKeyException e) {
            throw problem.of("wrong password for the key in the PKCS#12 file (check client-assertion-key-password)");
        } catch (GeneralSecurityException e) {
            throw problem.of("the PKCS#12 key cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static Loaded fromJwk(String json, String keyId, Problem problem) {
        List<JWK> keys;
        try {
            keys = json.contains("\"keys\"") ? JWKSet.parse(json).getKeys() : List.of(JWK.parse(json));
        } catch (ParseException e) {
            throw problem.of("is not a valid JWK or JWK Set");
        }
        List<JWK> candidates = keys.stream().filter(JWK::isPrivate).toList();
        if (candidates.isEmpty()) {
            throw problem.of("holds no private JWK (a public key cannot sign)");
        }
        List<JWK> byKid = candidates.stream().filter(k -> keyId != null && keyId.equals(k.getKeyID())).toList();
        if (!byKid.isEmpty()) {
            candidates = byKid;
        }
        if (candidates.size() > 1) {
            throw problem.of("holds " + candidates.size() + " private keys; set client-assertion-key-id to the kid "
                    + "of the one to use");
        }
        JWK jwk = candidates.get(0);
        try {
            if (jwk instanceof RSAKey rsa) {
                return new Loaded(rsa.toPrivateKey(), rsa.toPublicKey(), rsa.getKeyID());
            }
            if (jwk instanceof ECKey ec) {
                return new Loaded(ec.toPrivateKey(), ec.toPublicKey(), ec.getKeyID());
            }
        } catch (JOSEException e) {
            throw problem.of("the JWK cannot be turned into a key (" + e.getClass().getSimpleName() + ")");
        }
        throw problem.of("unsupported key type '" + jwk.getKeyType() + "' (use an RSA or EC key; an 'oct' secret "
                + "belongs to client_secret_jwt)");
    }

    private record Loaded(PrivateKey privateKey, PublicKey publicKey, String jwkKeyId) {
        @Override
        public String toString() {
            return "Loaded[***]";
        }
    }

    @FunctionalInterface
    private interface Problem {
        AssertionKeyException of(String message);
    }
}
