package com.cameloauth.token;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cameloauth.connection.ClientAuthMethod;
import com.cameloauth.connection.Secret;
import com.cameloauth.connection.policy.AssertionKey;
import com.cameloauth.connection.policy.ClientAssertion;
import com.cameloauth.connection.policy.ClientRegistration;
import com.cameloauth.token.jwt.ClientSecretJwtAuthenticator;
import com.cameloauth.token.jwt.PrivateKeyJwtAuthenticator;
import com.cameloauth.token.jwt.SigningKey;
import com.cameloauth.token.jwt.SigningKeys;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.id.ClientID;

/**
 * Chooses the {@link ClientAuthenticator} a client registration asks for, and keeps it current: after
 * {@code invalid_client} the registration is read again from configuration, and when its credentials changed (a
 * rotated secret, a new key file) the next request uses them.
 */
final class ClientAuthenticators {
    private static final Logger LOG = LoggerFactory.getLogger(ClientAuthenticators.class);

    private ClientAuthenticators() {
    }

    /**
     * The authenticator of {@code client}. A key file is loaded now: a bad one fails here (at start-up) with an
     * {@link com.cameloauth.token.jwt.AssertionKeyException} naming the connection and the file.
     *
     * @param reread the client registration as configuration has it now; empty when it cannot be read
     */
    static ClientAuthenticator of(String connection, ClientRegistration client, Clock clock,
            Supplier<Optional<ClientRegistration>> reread) {
        return new Reloading(connection, client, clock, reread);
    }

    /** The authenticator of one registration, without reloading. */
    static ClientAuthenticator fixed(String connection, ClientRegistration client, Clock clock) {
        ClientID id = new ClientID(client.clientId());
        return switch (client.clientAuth()) {
            // tls_client_auth: the certificate authenticates (RFC 8705 2); only client_id goes in the form
            case NONE, TLS_CLIENT_AUTH -> ClientAuthenticator.none(id);
            case CLIENT_SECRET_POST -> ClientAuthenticator.secretPost(id, secret(client));
            case CLIENT_SECRET_JWT -> {
                ClientAssertion a = client.assertion().orElseThrow();
                ClientSecretJwtAuthenticator jwt = new ClientSecretJwtAuthenticator(connection, client.clientId(),
                        client.clientSecret().orElseThrow().reveal(), JWSAlgorithm.parse(a.algorithm()),
                        a.audience().orElse(null), a.lifetime(), clock);
                yield jwt::forRequest;
            }
            case PRIVATE_KEY_JWT -> {
                ClientAssertion a = client.assertion().orElseThrow();
                SigningKey key = SigningKeys.load(connection, a.key().orElseThrow(), a.algorithm());
                PrivateKeyJwtAuthenticator jwt = new PrivateKeyJwtAuthenticator(connection, client.clientId(), key,
                        a.audience().orElse(null), a.lifetime(), clock);
                yield jwt::forRequest;
            }
            default -> ClientAuthenticator.secretBasic(id, secret(client));
        };
    }

    private static com.nimbusds.oauth2.sdk.auth.Secret secret(ClientRegistration client) {
        return new com.nimbusds.oauth2.sdk.auth.Secret(client.clientSecret().orElseThrow().reveal());
    }

    /**
     * What identifies a registration's credentials: a SHA-256 over the method, client id, secret, key settings and
     * key file content. Kept instead of the values, so nothing secret is held twice.
     */
    static byte[] credentialDigest(ClientRegistration client) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            update(sha, client.clientAuth().value());
            update(sha, client.clientId());
            update(sha, client.clientSecret().map(Secret::reveal).orElse(""));
            Optional<ClientAssertion> a = client.assertion();
            update(sha, a.map(ClientAssertion::algorithm).orElse(""));
            Optional<AssertionKey> key = a.flatMap(ClientAssertion::key);
            if (key.isPresent()) {
                update(sha, key.get().file().toString());
                update(sha, key.get().password().map(Secret::reveal).orElse(""));
                update(sha, key.get().alias().orElse(""));
                update(sha, key.get().keyId().orElse(""));
                try {
                    sha.update(Files.readAllBytes(key.get().file()));
                } catch (IOException e) {
                    update(sha, "unreadable");
                }
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest sha, String value) {
        sha.update(value.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
    }

    /** The current authenticator, replaced when configuration holds other credentials after invalid_client. */
    private static final class Reloading implements ClientAuthenticator {
        private final String connection;
        private final Clock clock;
        private final Supplier<Optional<ClientRegistration>> reread;
        private volatile ClientAuthenticator current;
        private volatile byte[] digest;
        private volatile Optional<Secret> reloadedSecret = Optional.empty();

        Reloading(String connection, ClientRegistration client, Clock clock,
                Supplier<Optional<ClientRegistration>> reread) {
            this.connection = connection;
            this.clock = clock;
            this.reread = reread;
            this.current = fixed(connection, client, clock);
            this.digest = credentialDigest(client);
        }

        @Override
        public ClientAuthentication forRequest(java.net.URI tokenUrl) {
            return current.forRequest(tokenUrl);
        }

        @Override
        public Optional<Secret> reloadedSecret() {
            return reloadedSecret;
        }

        @Override
        public synchronized boolean reload() {
            Optional<ClientRegistration> fresh;
            try {
                fresh = reread.get();
            } catch (RuntimeException e) {
                LOG.warn("oauth connection '{}': could not read the client credentials again ({})", connection,
                        e.getClass().getSimpleName());
                return false;
            }
            if (fresh.isEmpty()) {
                return false;
            }
            byte[] next = credentialDigest(fresh.get());
            if (MessageDigest.isEqual(next, digest)) {
                LOG.info("oauth connection '{}': the token endpoint refused the client, and its configured"
                        + " credentials have not changed; not retrying", connection);
                return false;
            }
            try {
                current = fixed(connection, fresh.get(), clock);
            } catch (OAuthTokenException e) {
                LOG.warn("oauth connection '{}': the changed client credentials cannot be used: {}", connection,
                        e.getMessage());
                return false;
            }
            digest = next;
            reloadedSecret = fresh.get().clientSecret();
            LOG.info("oauth connection '{}': the token endpoint refused the client; its credentials changed in"
                    + " configuration, retrying once with them", connection);
            return true;
        }
    }
}
