package com.cameloauth.token.jwt;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an unencrypted private key from PEM with the JDK only: PKCS#8 ("PRIVATE KEY"), PKCS#1 ("RSA PRIVATE KEY")
 * and SEC1 ("EC PRIVATE KEY"). The last two are wrapped into PKCS#8 (RFC 5208), which is all the JDK reads.
 */
final class PemKeys {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final byte[] RSA_ALGORITHM_ID = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
        (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private PemKeys() {
    }

    /** @throws IllegalArgumentException with a message fit for the user (no key bytes) */
    static PrivateKey read(String pem) {
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            String body = m.group(2);
            if (type.equals("ENCRYPTED PRIVATE KEY") || body.contains("ENCRYPTED")) {
                throw new IllegalArgumentException("encrypted PEM keys are not supported; use a PKCS#12 file with "
                        + "a password, or an unencrypted PKCS#8 PEM file readable only by this process");
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(body.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the PEM block '" + type + "' is not valid base64");
            }
            switch (type) {
                case "PRIVATE KEY":
                    return pkcs8(der);
                case "RSA PRIVATE KEY":
                    return pkcs8(sequence(concat(new byte[] {0x02, 0x01, 0x00}, RSA_ALGORITHM_ID, octets(der))));
                case "EC PRIVATE KEY":
                    byte[] algorithmId = sequence(concat(EC_PUBLIC_KEY_OID, curveOid(der)));
                    return pkcs8(sequence(concat(new byte[] {0x02, 0x01, 0x00}, algorithmId, octets(der))));
                default:
                    // a certificate or public key before the private key: look further
            }
        }
        throw new IllegalArgumentException("no PEM block 'PRIVATE KEY', 'RSA PRIVATE KEY' or 'EC PRIVATE KEY' found");
    }

    private static PrivateKey pkcs8(byte[] der) {
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next key type
            }
        }
        throw new IllegalArgumentException("the private key is neither an RSA nor an EC key, or is malformed");
    }

    /** The named curve OID in a SEC1 ECPrivateKey: SEQUENCE { version, privateKey, [0] parameters, [1] publicKey }. */
    private static byte[] curveOid(byte[] sec1) {
        Der outer = Der.at(sec1, 0);
        if (outer.tag != 0x30) {
            throw new IllegalArgumentException("the EC PRIVATE KEY block is not a SEC1 structure");
        }
        int pos = outer.valueStart;
        while (pos < outer.end()) {
            Der element = Der.at(sec1, pos);
            if (element.tag == (byte) 0xa0) {
                Der oid = Der.at(sec1, element.valueStart);
                if (oid.tag == 0x06) {
                    return Arrays.copyOfRange(sec1, element.valueStart, oid.end());
                }
            }
            pos = element.end();
        }
        throw new IllegalArgumentException("the EC PRIVATE KEY names no curve; convert it to PKCS#8 "
                + "(openssl pkcs8 -topk8 -nocrypt)");
    }

    private static byte[] sequence(byte[] content) {
        return tlv(0x30, content);
    }

    private static byte[] octets(byte[] content) {
        return tlv(0x04, content);
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            byte[] len = BigInteger.valueOf(n).toByteArray();
            int skip = len[0] == 0 ? 1 : 0;
            out.write(0x80 | (len.length - skip));
            out.write(len, skip, len.length - skip);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** One DER element: tag, where its value starts and how long it is. */
    private record Der(byte tag, int valueStart, int length) {
        static Der at(byte[] der, int pos) {
            if (pos + 2 > der.length) {
                throw new IllegalArgumentException("truncated DER structure");
            }
            byte tag = der[pos];
            int first = der[pos + 1] & 0xff;
            int start = pos + 2;
            int length = first;
            if (first >= 0x80) {
                int count = first & 0x7f;
                if (count == 0 || count > 3 || start + count > der.length) {
                    throw new IllegalArgumentException("malformed DER length");
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (der[start + i] & 0xff);
                }
                start += count;
            }
            if (start + length > der.length) {
                throw new IllegalArgumentException("truncated DER structure");
            }
            return new Der(tag, start, length);
        }

        int end() {
            return valueStart + length;
        }
    }
}
