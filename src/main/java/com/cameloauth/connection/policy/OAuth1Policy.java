package com.cameloauth.connection.policy;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

import com.cameloauth.connection.Policy;
import com.cameloauth.connection.Secret;

/**
 * {@code oauth1}: OAuth 1.0a one-legged request signing (RFC 5849), as NetSuite's token-based authentication uses it.
 * Every request carries an {@code Authorization: OAuth ...} header signed with the consumer and token secrets; there is
 * no token endpoint and nothing to refresh.
 *
 * @param consumerKey     the client identifier ({@code oauth_consumer_key})
 * @param consumerSecret  the client shared secret
 * @param tokenId         the token identifier ({@code oauth_token})
 * @param tokenSecret     the token shared secret
 * @param realm           the {@code realm} of the header (NetSuite: the account id), if any
 * @param signatureMethod HMAC-SHA256 (default) or HMAC-SHA1
 */
public record OAuth1Policy(String consumerKey, Secret consumerSecret, String tokenId, Secret tokenSecret,
        Optional<String> realm, SignatureMethod signatureMethod) implements SecurityPolicy {

    public OAuth1Policy {
        Objects.requireNonNull(consumerKey, "consumerKey");
        Objects.requireNonNull(consumerSecret, "consumerSecret");
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(tokenSecret, "tokenSecret");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(signatureMethod, "signatureMethod");
    }

    @Override
    public Policy policy() {
        return Policy.OAUTH1;
    }

    /** The signature methods supported, with their wire name and the JCA MAC algorithm. */
    public enum SignatureMethod {
        HMAC_SHA256("HMAC-SHA256", "HmacSHA256"),
        HMAC_SHA1("HMAC-SHA1", "HmacSHA1");

        private final String value;
        private final String macAlgorithm;

        SignatureMethod(String value, String macAlgorithm) {
            this.value = value;
            this.macAlgorithm = macAlgorithm;
        }

        /** The value of {@code oauth_signature_method} and of the {@code signature-method} key. */
        public String value() {
            return value;
        }

        /** The {@code javax.crypto.Mac} algorithm name. */
        public String macAlgorithm() {
            return macAlgorithm;
        }

        public static Optional<SignatureMethod> fromValue(String value) {
            return Arrays.stream(values()).filter(m -> m.value.equalsIgnoreCase(value.trim())).findFirst();
        }

        @Override
        public String toString() {
            return value;
        }
    }
}
