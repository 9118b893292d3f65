package com.cameloauth.token.tls;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM with the JDK only: CERTIFICATE blocks, and an unencrypted PKCS#8 PRIVATE KEY (RSA or EC). */
final class Pem {
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----",
            Pattern.DOTALL);

    private Pem() {
    }

    /** PEM text rather than DER: the first non-blank bytes are a BEGIN line (PKCS#12 is binary DER). */
    static boolean isPem(byte[] content) {
        int i = 0;
        if (content.length >= 3 && (content[0] & 0xff) == 0xef && (content[1] & 0xff) == 0xbb && (content[2] & 0xff) == 0xbf) {
            i = 3; // a UTF-8 byte order mark
        }
        while (i < content.length && Character.isWhitespace(content[i])) {
            i++;
        }
        String start = new String(content, i, Math.min(11, content.length - i), java.nio.charset.StandardCharsets.US_ASCII);
        return start.equals("-----BEGIN ");
    }

    /** Every CERTIFICATE block, in order (the leaf first in a chain). */
    static List<Certificate> certificates(String pem) {
        List<Certificate> certificates = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem);
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            while (m.find()) {
                if (m.group(1).equals("CERTIFICATE")) {
                    certificates.add(factory.generateCertificate(new ByteArrayInputStream(der(m))));
                }
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException("a CERTIFICATE block is not a valid X.509 certificate");
        }
        return certificates;
    }

    /** The PRIVATE KEY block. */
    static PrivateKey privateKey(String pem) {
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            if (type.equals("ENCRYPTED PRIVATE KEY")) {
                throw new IllegalArgumentException("encrypted PEM keys are not supported; use a PKCS#12 file with a"
                        + " password, or an unencrypted PKCS#8 key in a file only this process can read");
            }
            if (type.equals("RSA PRIVATE KEY") || type.equals("EC PRIVATE KEY")) {
                throw new IllegalArgumentException("the key is in the old '" + type + "' format; convert it to PKCS#8"
                        + " (openssl pkcs8 -topk8 -nocrypt)");
            }
            if (type.equals("PRIVATE KEY")) {
                byte[] der = der(m);
                for (String algorithm : new String[] {"EC", "RSA"}) {
                    try {
                        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                    } catch (GeneralSecurityException e) {
                        // the other type
                    }
                }
                throw new IllegalArgumentException("the PRIVATE KEY is neither an RSA nor an EC key, or is malformed");
            }
        }
        throw new IllegalArgumentException("no PRIVATE KEY block found; a PEM key store holds the certificate and its"
                + " unencrypted PKCS#8 key");
    }

    private static byte[] der(Matcher m) {
        try {
            return Base64.getMimeDecoder().decode(m.group(2).trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM block '" + m.group(1) + "' is not valid base64");
        }
    }
}
