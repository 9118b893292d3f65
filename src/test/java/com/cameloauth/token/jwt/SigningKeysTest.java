package com.cameloauth.token.jwt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {
    private static final KeyPair RSA = TestKeys.rsa(2048);
    private static final KeyPair EC = TestKeys.ec("secp256r1");
    private static final String PASSWORD = "s3cret-Pa55word";

    @TempDir
    Path dir;

    @Test
    void loadWhenPkcs8RsaPemThenKidIsTheThumbprintOfThePublicKey() throws Exception {
        Path file = TestKeys.write(dir, "client.pem", TestKeys.pkcs8Pem(RSA));

        SigningKey key = SigningKeys.load("orders", file, null, null, null, JWSAlgorithm.RS256);

        assertEquals(RSA.getPrivate(), key.privateKey());
        assertEquals(thumbprint(RSA.getPublic()), key.keyId());
        assertFalse(key.publicJwk().toJSONObject().containsKey("d"));
    }

    @Test
    void loadWhenPkcs1RsaPemThenSameKey() {
        Path file = TestKeys.write(dir, "client-rsa.pem", TestKeys.pkcs1Pem(RSA));

        SigningKey key = SigningKeys.load("orders", file, null, null, null, JWSAlgorithm.PS256);

        assertArrayEquals(RSA.getPrivate().getEncoded(), key.privateKey().getEncoded());
    }

    @Test
    void loadWhenSec1EcPemThenPublicKeyIsDerivedForTheKid() throws Exception {
        Path file = TestKeys.write(dir, "client-ec.pem", TestKeys.sec1Pem(EC));

        SigningKey key = SigningKeys.load("orders", file, null, null, null, JWSAlgorithm.ES256);

        assertEquals(EC.getPublic(), ((ECKey) key.publicJwk()).toECPublicKey());
        assertEquals(thumbprint(EC.getPublic()), key.keyId());
    }

    @Test
    void loadWhenPkcs8EcPemThenPublicKeyIsDerived() throws Exception {
        Path file = TestKeys.write(dir, "client-ec8.pem", TestKeys.pkcs8Pem(EC));

        SigningKey key = SigningKeys.load("orders", file, null, null, "given-kid", JWSAlgorithm.ES256);

        assertEquals(EC.getPublic(), ((ECKey) key.publicJwk()).toECPublicKey());
        assertEquals("given-kid", key.keyId());
        assertEquals("given-kid", key.publicJwk().getKeyID());
    }

    @Test
    void loadWhenPkcs12WithOneKeyThenThatKeyWithoutAlias() throws Exception {
        Path file = TestKeys.pkcs12(dir, "client.p12", PASSWORD, "RSA", "client");

        SigningKey key = SigningKeys.load("orders", file, PASSWORD.toCharArray(), null, null, JWSAlgorithm.RS256);

        assertEquals(thumbprint(TestKeys.publicKeyIn(file, PASSWORD, "client")), key.keyId());
    }

    @Test
    void loadWhenPkcs12WithTwoKeysThenAliasChoosesAndIsRequired() throws Exception {
        Path file = TestKeys.pkcs12(dir, "two.p12", PASSWORD, "EC", "first", "second");

        SigningKey key = SigningKeys.load("orders", file, PASSWORD.toCharArray(), "second", null, JWSAlgorithm.ES256);

        assertEquals(thumbprint(TestKeys.publicKeyIn(file, PASSWORD, "second")), key.keyId());
        Refusal.of(() -> SigningKeys.load("orders", file, PASSWORD.toCharArray(), null, null, JWSAlgorithm.ES256))
                .says("two.p12", "client-assertion-key-alias").neverSays(PASSWORD);
    }

    @Test
    void loadWhenJwkThenItsKidUnlessOneIsGiven() {
        RSAKey jwk = new RSAKey.Builder((RSAPublicKey) RSA.getPublic()).privateKey(RSA.getPrivate())
                .keyID("jwk-kid").build();
        Path file = TestKeys.write(dir, "client.jwk", jwk.toJSONString());

        assertEquals("jwk-kid", SigningKeys.load("orders", file, null, null, null, JWSAlgorithm.RS256).keyId());
        assertEquals("mine", SigningKeys.load("orders", file, null, null, "mine", JWSAlgorithm.RS256).keyId());
    }

    @Test
    void loadWhenJwkSetThenTheKeyWithTheGivenKid() throws Exception {
        ECKey one = new ECKey.Builder(Curve.P_256, (ECPublicKey) EC.getPublic()).privateKey(EC.getPrivate())
                .keyID("one").build();
        KeyPair other = TestKeys.ec("secp256r1");
        ECKey two = new ECKey.Builder(Curve.P_256, (ECPublicKey) other.getPublic()).privateKey(other.getPrivate())
                .keyID("two").build();
        Path file = TestKeys.write(dir, "keys.json", new JWKSet(List.of(one, two)).toString(false));

        SigningKey key = SigningKeys.load("orders", file, null, null, "two", JWSAlgorithm.ES256);

        assertEquals(other.getPublic(), ((ECKey) key.publicJwk()).toECPublicKey());
    }

    @Test
    void loadWhenWrongPkcs12PasswordThenNamesTheFileNotThePassword() {
        Path file = TestKeys.pkcs12(dir, "client.p12", PASSWORD, "RSA", "client");

        Refusal.of(() -> SigningKeys.load("orders", file, "Wrong-Guess-99".toCharArray(), null, null,
                JWSAlgorithm.RS256))
                .says("'orders'", file.toString(), "wrong password").neverSays(PASSWORD, "Wrong-Guess-99");
    }

    @Test
    void loadWhenRsa1024ThenRefused() {
        KeyPair small = TestKeys.rsa(1024);
        String pem = TestKeys.pkcs8Pem(small);
        Path file = TestKeys.write(dir, "small.pem", pem);

        String message = Refusal.of(() -> SigningKeys.load("orders", file, null, null, null, JWSAlgorithm.RS256))
                .says(file.toString(), "1024", "2048").message();
        assertNoKeyMaterial(message, small);
    }

    @Test
    void loadWhenEs256WithAnRsaKeyThenRefused() {
        Path file = TestKeys.write(dir, "rsa.pem", TestKeys.pkcs8Pem(RSA));

        String message = Refusal.of(() -> SigningKeys.load("orders", file, null, null, null, JWSAlgorithm.ES256))
                .says(file.toString(), "ES256", "P-256").message();
        assertNoKeyMaterial(message, RSA);
    }

    @Test
    void loadWhenRs256WithAnEcKeyOrAnotherCurveThenRefused() {
        Path ec = TestKeys.write(dir, "ec.pem", TestKeys.pkcs8Pem(EC));
        Path p384 = TestKeys.write(dir, "p384.pem", TestKeys.pkcs8Pem(TestKeys.ec("secp384r1")));

        Refusal.of(() -> SigningKeys.load("orders", ec, null, null, null, JWSAlgorithm.RS256))
                .says("ec.pem", "RS256 needs an RSA key");
        Refusal.of(() -> SigningKeys.load("orders", p384, null, null, null, JWSAlgorithm.ES256))
                .says("p384.pem", "P-384");
    }

    @Test
    void loadWhenFileIsMissingThenNamesIt() {
        Path missing = dir.resolve("nowhere.pem");

        Refusal.of(() -> SigningKeys.load("orders", missing, null, null, null, JWSAlgorithm.RS256))
                .says(missing.toString(), "no such file");
    }

    @Test
    void loadWhenPublicJwkOnlyThenRefusedWithoutEchoingTheFile() {
        RSAKey publicOnly = new RSAKey.Builder((RSAPublicKey) RSA.getPublic()).keyID("pub").build();
        Path file = TestKeys.write(dir, "public.jwk", publicOnly.toJSONString());

        Refusal.of(() -> SigningKeys.load("orders", file, null, null, null, JWSAlgorithm.RS256))
                .says("public.jwk", "no private JWK");
    }

    @Test
    void loadWhenSymmetricJwkThenUnsupportedKeyType() {
        Path file = TestKeys.write(dir, "oct.jwk", "{\"kty\":\"oct\",\"k\":\"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ1Ng\"}");

        Refusal.of(() -> SigningKeys.load("orders", file, null, null, null, JWSAlgorithm.RS256))
                .says("oct.jwk", "'oct'").neverSays("c2VjcmV0");
    }

    @Test
    void toStringMasksThePrivateKey() {
        Path file = TestKeys.write(dir, "client.pem", TestKeys.pkcs8Pem(RSA));

        SigningKey key = SigningKeys.load("orders", file, null, null, "k1", JWSAlgorithm.RS256);

        assertTrue(key.toString().contains("RS256") && key.toString().contains("k1"), key.toString());
        assertNoKeyMaterial(key.toString(), RSA);
    }

    static void assertNoKeyMaterial(String text, KeyPair pair) {
        String encoded = Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());
        assertFalse(text.contains(encoded.substring(40, 80)), text);
        if (pair.getPrivate() instanceof java.security.interfaces.RSAPrivateKey rsa) {
            assertFalse(text.contains(rsa.getPrivateExponent().toString().substring(0, 30)), text);
            assertFalse(text.contains(rsa.getModulus().toString(16).substring(0, 30)), text);
        }
    }

    private static String thumbprint(PublicKey key) throws Exception {
        if (key instanceof RSAPublicKey rsa) {
            return new RSAKey.Builder(rsa).build().computeThumbprint().toString();
        }
        return new ECKey.Builder(Curve.P_256, (ECPublicKey) key).build().computeThumbprint().toString();
    }
}
