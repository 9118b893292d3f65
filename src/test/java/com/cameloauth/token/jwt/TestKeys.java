package com.cameloauth.token.jwt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/** Keys made in the test, written as the files users configure: PEM (PKCS#8, PKCS#1, SEC1), PKCS#12. No BouncyCastle. */
final class TestKeys {
    static final byte[] P256_OID = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};

    private TestKeys() {
    }

    static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ec(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    static String pkcs8Pem(KeyPair pair) {
        return pem("PRIVATE KEY", pair.getPrivate().getEncoded());
    }

    /** PKCS#1 RSAPrivateKey is the OCTET STRING inside the JDK's PKCS#8 encoding. */
    static String pkcs1Pem(KeyPair rsa) {
        return pem("RSA PRIVATE KEY", lastOctetString(rsa.getPrivate().getEncoded()));
    }

    /**
     * SEC1 as openssl writes it: SEQUENCE { 1, OCTET STRING d, [0] curve OID }. The JDK's PKCS#8 carries
     * SEQUENCE { 1, OCTET STRING d } (maybe with a public key); we take d and add the curve.
     */
    static String sec1Pem(KeyPair ec) {
        byte[] inner = lastOctetString(ec.getPrivate().getEncoded());
        // inner = 30 len 02 01 01 04 n d...
        int pos = inner[1] < 0 ? 2 + (inner[1] & 0x7f) : 2;
        pos += 3; // INTEGER 1
        int dLen = inner[pos + 1];
        byte[] dTlv = Arrays.copyOfRange(inner, pos, pos + 2 + dLen);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x01});
        body.writeBytes(dTlv);
        body.write(0xa0);
        body.write(P256_OID.length);
        body.writeBytes(P256_OID);
        byte[] content = body.toByteArray();
        ByteArrayOutputStream seq = new ByteArrayOutputStream();
        seq.write(0x30);
        seq.write(content.length);
        seq.writeBytes(content);
        return pem("EC PRIVATE KEY", seq.toByteArray());
    }

    private static byte[] lastOctetString(byte[] pkcs8) {
        // PKCS#8: SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING key [, attributes] }
        int pos = headerLength(pkcs8, 0);
        pos = skip(pkcs8, pos); // version
        pos = skip(pkcs8, pos); // algorithm
        int start = headerLength(pkcs8, pos);
        return Arrays.copyOfRange(pkcs8, start, skip(pkcs8, pos));
    }

    private static int headerLength(byte[] der, int pos) {
        int first = der[pos + 1] & 0xff;
        return pos + 2 + (first >= 0x80 ? first & 0x7f : 0);
    }

    private static int skip(byte[] der, int pos) {
        int first = der[pos + 1] & 0xff;
        int len = first;
        if (first >= 0x80) {
            len = 0;
            for (int i = 0; i < (first & 0x7f); i++) {
                len = (len << 8) | (der[pos + 2 + i] & 0xff);
            }
        }
        return headerLength(der, pos) + len;
    }

    static Path write(Path dir, String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PKCS#12 file made by keytool (the JDK cannot make the certificate a key entry needs by itself). */
    static Path pkcs12(Path dir, String name, String password, String keyalg, String... aliases) {
        Path file = dir.resolve(name);
        for (String alias : aliases) {
            String[] cmd = keyalg.equals("EC")
                    ? new String[] {keytool(), "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1"}
                    : new String[] {keytool(), "-genkeypair", "-keyalg", "RSA", "-keysize", "2048"};
            String[] args = {"-alias", alias, "-dname", "CN=" + alias, "-validity", "2", "-storetype", "PKCS12",
                "-keystore", file.toString(), "-storepass", password, "-keypass", password};
            String[] all = Arrays.copyOf(cmd, cmd.length + args.length);
            System.arraycopy(args, 0, all, cmd.length, args.length);
            try {
                Process p = new ProcessBuilder(all).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("keytool failed: " + out);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return file;
    }

    static PublicKey publicKeyIn(Path pkcs12, String password, String alias) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(pkcs12)) {
            ks.load(in, password.toCharArray());
        }
        return ks.getCertificate(alias).getPublicKey();
    }

    private static String keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }
}
