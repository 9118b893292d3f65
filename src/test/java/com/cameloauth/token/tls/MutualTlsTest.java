package com.cameloauth.token.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.cameloauth.testsupport.ReadmeExamples;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cameloauth.token.OAuthTokenException;

/**
 * Mutual TLS (RFC 8705) against a server that requires client certificates: the connection's key store and trust
 * store serve its token requests and its API calls alike, in PKCS#12 and in PEM; without a key store, or with a server
 * certificate outside the trust store, nothing gets through, and the error says why.
 */
class MutualTlsTest {
    @TempDir
    static Path dir;
    private static TestPki pki;

    private MtlsServer server;
    private CamelContext camel;
    private final Properties p = new Properties();

    @BeforeAll
    static void makePki() throws Exception {
        pki = TestPki.create(dir);
    }

    @BeforeEach
    void start() throws Exception {
        server = new MtlsServer(pki.serverContext());
        p.setProperty("oauth.connections.orders.policy", "client-credentials");
        p.setProperty("oauth.connections.orders.base-url", server.url("/api"));
        p.setProperty("oauth.connections.orders.token-url", server.url("/token"));
        p.setProperty("oauth.connections.orders.client-id", "orders-client");
        p.setProperty("oauth.connections.orders.max-attempts", "1");
    }

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        server.close();
    }

    private String callOrders() {
        camel = new DefaultCamelContext();
        camel.getPropertiesComponent().setInitialProperties(p);
        camel.start();
        return camel.createProducerTemplate().requestBodyAndHeader("oauth:orders/orders", null, Exchange.HTTP_METHOD,
                "GET", String.class);
    }

    private void tlsClientAuth(String keyStore, String trustStore, boolean pkcs12) {
        p.setProperty("oauth.connections.orders.client-auth", "tls_client_auth");
        p.setProperty("oauth.connections.orders.tls-key-store", pki.file(keyStore).toString());
        p.setProperty("oauth.connections.orders.tls-trust-store", pki.file(trustStore).toString());
        if (pkcs12) {
            p.setProperty("oauth.connections.orders.tls-key-store-password", TestPki.PASSWORD);
            p.setProperty("oauth.connections.orders.tls-trust-store-password", TestPki.PASSWORD);
        }
    }

    private void assertClientCertificateSeenOnTokenAndApi() {
        List<MtlsServer.Seen> seen = server.seen;
        assertEquals(List.of("/token", "/api/orders"), seen.stream().map(MtlsServer.Seen::path).toList());
        seen.forEach(s -> assertEquals(TestPki.CLIENT_SUBJECT, s.subject()));
        String form = seen.get(0).detail();
        assertTrue(form.contains("client_id=orders-client"), form);
        assertFalse(form.contains("client_secret"), form);
        assertEquals("Bearer mtls-tok-1", seen.get(1).detail());
    }

    @Test
    void tlsClientAuthWithPkcs12StoresGetsACertificateBoundTokenAndCallsTheApi() throws Exception {
        tlsClientAuth("client.p12", "ca-trust.p12", true);

        String body = callOrders();

        // the API stub answers 200 only when the token's bound thumbprint is the certificate of this very connection
        String thumbprint = TestPki.thumbprint(pki.certificate("client.pem"));
        assertEquals(thumbprint, server.bindings.get("mtls-tok-1"));
        assertTrue(body.contains(thumbprint), body);
        assertClientCertificateSeenOnTokenAndApi();
    }

    @Test
    void pemKeyStoreAndPemTrustStoreWorkAlike() {
        tlsClientAuth("client-bundle.pem", "ca.pem", false);

        callOrders();

        assertClientCertificateSeenOnTokenAndApi();
    }

    @Test
    void aKeyAliasPicksTheEntryAndAnUnknownOneIsNamed() {
        tlsClientAuth("client.p12", "ca.pem", true);
        p.setProperty("oauth.connections.orders.tls-key-alias", "orders");
        callOrders();
        assertClientCertificateSeenOnTokenAndApi();
        camel.stop();

        p.setProperty("oauth.connections.orders.tls-key-alias", "payments");
        Exception e = assertThrows(Exception.class, this::callOrders);
        String message = rootMessage(e);
        assertTrue(message.contains("connection 'orders': key 'tls-key-alias': 'payments' is not a key entry of "
                + pki.file("client.p12") + " (key entries: orders)"), message);
    }

    @Test
    void withoutAKeyStoreTheHandshakeFailsWithAClearError() {
        p.setProperty("oauth.connections.orders.client-secret", "s3cr3t");
        p.setProperty("oauth.connections.orders.tls-trust-store", pki.file("ca.pem").toString());

        CamelExecutionException e = assertThrows(CamelExecutionException.class, this::callOrders);

        OAuthTokenException cause = assertInstanceOfCause(e);
        // TLS 1.3: the server refuses after the handshake, so the client sees a closed connection rather than an alert
        assertTrue(cause.getMessage().contains("if it requires a client certificate (mutual TLS), set tls-key-store")
                || cause.getMessage().contains("TLS handshake with the token endpoint failed"), cause.getMessage());
        assertTrue(cause.getMessage().contains("tls-key-store"), cause.getMessage());
        assertTrue(server.seen.isEmpty(), "nothing got through: " + server.seen);
    }

    @Test
    void aServerCertificateOutsideTheTrustStoreIsRefused() {
        tlsClientAuth("client.p12", "other-ca-trust.p12", true);

        CamelExecutionException e = assertThrows(CamelExecutionException.class, this::callOrders);

        OAuthTokenException cause = assertInstanceOfCause(e);
        assertTrue(cause.getMessage().contains("TLS handshake with the token endpoint failed"), cause.getMessage());
        assertTrue(cause.getMessage().contains("tls-trust-store"), cause.getMessage());
        assertTrue(server.seen.isEmpty(), "nothing got through: " + server.seen);
    }

    @Test
    void withoutATrustStoreTheJvmTrustStoreRefusesThePrivateCa() {
        tlsClientAuth("client.p12", "ca.pem", true);
        p.remove("oauth.connections.orders.tls-trust-store");
        p.remove("oauth.connections.orders.tls-trust-store-password");

        CamelExecutionException e = assertThrows(CamelExecutionException.class, this::callOrders);

        assertTrue(assertInstanceOfCause(e).getMessage().contains("TLS handshake"));
        assertTrue(server.seen.isEmpty(), "nothing got through: " + server.seen);
    }

    @Test
    void tlsClientAuthWithoutAKeyStoreIsRefusedAtStart() {
        p.setProperty("oauth.connections.orders.client-auth", "tls_client_auth");

        Exception e = assertThrows(Exception.class, this::callOrders);

        String message = rootMessage(e);
        assertTrue(message.contains("connection 'orders': key 'client-auth': tls_client_auth authenticates with a client"
                + " certificate, but tls-key-store is not set"), message);
    }

    @Test
    void aWrongKeyStorePasswordNamesKeyAndFileButNeverThePassword() {
        tlsClientAuth("client.p12", "ca.pem", true);
        p.setProperty("oauth.connections.orders.tls-key-store-password", "not-the-Password-42");

        Exception e = assertThrows(Exception.class, this::callOrders);

        String message = rootMessage(e);
        assertTrue(message.contains("connection 'orders': key 'tls-key-store': file '" + pki.file("client.p12")
                + "': the file cannot be opened with tls-key-store-password"), message);
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains("not-the-Password-42"), t.getMessage());
        }
    }

    @Test
    void aMissingStoreFileIsAConfigurationProblem() {
        tlsClientAuth("client.p12", "ca.pem", true);
        p.setProperty("oauth.connections.orders.tls-trust-store", pki.file("nowhere.pem").toString());

        Exception e = assertThrows(Exception.class, this::callOrders);

        String message = rootMessage(e);
        assertTrue(message.contains("connection 'orders': key 'tls-trust-store': file '" + pki.file("nowhere.pem")
                + "' does not exist or cannot be read"), message);
    }

    private static OAuthTokenException assertInstanceOfCause(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OAuthTokenException o) {
                return o;
            }
        }
        throw new AssertionError("no OAuthTokenException in the chain", e);
    }

    private static String rootMessage(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    @Test
    void theReadmeExampleRunsAsWritten() throws Exception {
        p.clear();
        p.putAll(ReadmeExamples.block("## Mutual TLS and DPoP", "partner.tls-key-store=", Map.of(
                "https://api.partner.example.com", server.url("/api"),
                "https://auth.partner.example.com/oauth2/token", server.url("/token"),
                "/etc/camel-oauth/partner-client.p12", pki.file("client.p12").toString(),
                "${PARTNER_KEYSTORE_PASSWORD}", TestPki.PASSWORD,
                "/etc/camel-oauth/partner-ca.pem", pki.file("ca.pem").toString())));
        camel = new DefaultCamelContext();
        camel.getPropertiesComponent().setInitialProperties(p);
        camel.start();

        String body = camel.createProducerTemplate().requestBodyAndHeader("oauth:partner/orders", null,
                Exchange.HTTP_METHOD, "GET", String.class);

        assertTrue(body.contains(TestPki.thumbprint(pki.certificate("client.pem"))), body);
        List<MtlsServer.Seen> seen = server.seen;
        assertEquals(List.of("/token", "/api/orders"), seen.stream().map(MtlsServer.Seen::path).toList());
        seen.forEach(s -> assertEquals(TestPki.CLIENT_SUBJECT, s.subject()));
        assertTrue(seen.get(0).detail().contains("client_id=partner-integration"), seen.get(0).detail());
        assertFalse(seen.get(0).detail().contains("client_secret"), seen.get(0).detail());
    }
}
