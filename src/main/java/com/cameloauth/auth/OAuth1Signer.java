package com.cameloauth.auth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.cameloauth.auth.OAuth1BaseString.Parameter;
import com.cameloauth.connection.policy.OAuth1Policy;

/**
 * Signs each request with OAuth 1.0a (RFC 5849 section 3), one-legged: consumer and token credentials from the
 * connection, a fresh 128-bit nonce and the clock's timestamp per call, HMAC-SHA256 or HMAC-SHA1 over the method, the
 * normalised URL and the query, form and protocol parameters. The header is never logged.
 */
public final class OAuth1Signer implements RequestSigner {
    private static final String HEADER = "Authorization";
    private static final int NONCE_BYTES = 16;

    private final OAuth1Policy policy;
    private final Clock clock;
    private final SecureRandom random;

    public OAuth1Signer(OAuth1Policy policy, Clock clock, SecureRandom random) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public SignedHeader sign(String method, URI uri, Optional<String> formBody) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        return sign(method, uri, formBody, clock.instant().getEpochSecond(), HexFormat.of().formatHex(nonce));
    }

    /** With a given timestamp and nonce: for the published examples. */
    SignedHeader sign(String method, URI uri, Optional<String> formBody, long timestamp, String nonce) {
        List<Parameter> protocol = new ArrayList<>(List.of(
                new Parameter("oauth_consumer_key", policy.consumerKey()),
                new Parameter("oauth_token", policy.tokenId()),
                new Parameter("oauth_signature_method", policy.signatureMethod().value()),
                new Parameter("oauth_timestamp", Long.toString(timestamp)),
                new Parameter("oauth_nonce", nonce),
                new Parameter("oauth_version", "1.0")));
        List<Parameter> form = formBody.map(OAuth1BaseString::parseForm).orElse(List.of());
        String baseString = OAuth1BaseString.of(method, uri, form, protocol);
        protocol.add(new Parameter("oauth_signature", signature(baseString)));
        StringBuilder header = new StringBuilder("OAuth ");
        policy.realm().ifPresent(realm -> header.append("realm=\"").append(realm).append("\", "));
        for (int i = 0; i < protocol.size(); i++) {
            Parameter p = protocol.get(i);
            header.append(i == 0 ? "" : ", ").append(OAuth1BaseString.encode(p.name())).append("=\"")
                    .append(OAuth1BaseString.encode(p.value())).append('"');
        }
        return new SignedHeader(HEADER, header.toString());
    }

    /** Section 3.4.2: the key is the encoded consumer secret, {@code &}, the encoded token secret; base64 of the MAC. */
    String signature(String baseString) {
        String key = OAuth1BaseString.encode(policy.consumerSecret().reveal()) + '&'
                + OAuth1BaseString.encode(policy.tokenSecret().reveal());
        String algorithm = policy.signatureMethod().macAlgorithm();
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
            return Base64.getEncoder().encodeToString(mac.doFinal(baseString.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is not available in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "OAuth1Signer[" + policy.signatureMethod() + "]";
    }
}
