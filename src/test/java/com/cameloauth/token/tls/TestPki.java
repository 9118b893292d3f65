package com.cameloauth.token.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away PKI made with the openssl and keytool commands: a CA, a server certificate for 127.0.0.1 and a client
 * certificate, as PEM and PKCS#12 files in a directory; and a second, unrelated CA.
 */
final class TestPki {
    static final String PASSWORD = "changeit-p12";
    static final String CLIENT_SUBJECT = "CN=orders-client,O=Camel OAuth Test";

    final Path dir;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    static TestPki create(Path dir) throws Exception {
        TestPki pki = new TestPki(dir);
        pki.ca("ca");
        pki.ca("other-ca");
        pki.leaf("server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        pki.leaf("client", "/O=Camel OAuth Test/CN=orders-client", "extendedKeyUsage=clientAuth\n");
        pki.run("openssl", "pkcs12", "-export", "-inkey", "server.key", "-in", "server.pem", "-out", "server.p12",
                "-passout", "pass:" + PASSWORD, "-name", "server");
        pki.run("openssl", "pkcs12", "-export", "-inkey", "client.key", "-in", "client.pem", "-certfile", "ca.pem",
                "-out", "client.p12", "-passout", "pass:" + PASSWORD, "-name", "orders");
        // client.pem.key: a PEM key store, certificate and PKCS#8 key in one file
        Files.writeString(dir.resolve("client-bundle.pem"), Files.readString(dir.resolve("client.pem"))
                + Files.readString(dir.resolve("client.key")));
        for (String ca : List.of("ca", "other-ca")) {
            pki.run("keytool", "-importcert", "-noprompt", "-storetype", "PKCS12", "-keystore", ca + "-trust.p12",
                    "-storepass", PASSWORD, "-alias", ca, "-file", ca + ".pem");
        }
        return pki;
    }

    private void ca(String name) throws Exception {
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                name + ".key", "-out", name + ".pem", "-days", "2", "-subj", "/CN=Test " + name,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    private void leaf(String name, String subject, String extensions) throws Exception {
        Files.writeString(dir.resolve(name + ".ext"), extensions);
        run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", name + ".key",
                "-out", name + ".csr", "-subj", subject);
        run("openssl", "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext");
    }

    private void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    /** The server's context: its certificate, and client certificates of the test CA. */
    SSLContext serverContext() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file("server.p12"))) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD.toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", certificate("ca.pem"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    X509Certificate certificate(String pem) throws Exception {
        try (InputStream in = Files.newInputStream(file(pem))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** RFC 8705 3.1: base64url(SHA-256(DER)) of a certificate, the {@code x5t#S256} of a bound token's cnf. */
    static String thumbprint(Certificate certificate) throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    }

    static List<String> lines(Path p) throws IOException {
        return new ArrayList<>(Files.readAllLines(p));
    }
}
