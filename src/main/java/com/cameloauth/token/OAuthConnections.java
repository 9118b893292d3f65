package com.cameloauth.token;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.connection.policy.AuthorizationCodePolicy;
import com.cameloauth.connection.policy.ClientCredentialsPolicy;
import com.cameloauth.connection.policy.ClientRegistration;
import com.cameloauth.connection.policy.PasswordPolicy;
import com.cameloauth.connection.policy.RefreshTokenPolicy;
import com.cameloauth.connection.policy.SecurityPolicy;
import com.cameloauth.token.consent.CompletedAuthorization;
import com.cameloauth.token.consent.ConsentClient;
import com.cameloauth.token.consent.PendingAuthorizations;
import com.cameloauth.token.grant.AuthorizationCodeTokenGrant;
import com.cameloauth.token.grant.ClientCredentialsTokenGrant;
import com.cameloauth.token.grant.ConfiguredRefreshTokenGrant;
import com.cameloauth.token.grant.PasswordTokenGrant;
import com.cameloauth.token.grant.RefreshTokenGrant;
import com.cameloauth.token.grant.TokenGrant;
import com.cameloauth.connection.Secret;
import com.cameloauth.connection.StoreSettings;
import com.cameloauth.token.store.EncryptedFileTokenStore;
import com.cameloauth.token.store.InMemoryTokenStore;
import com.cameloauth.token.store.StoreKey;
import com.cameloauth.token.store.TokenSet;
import com.cameloauth.token.store.TokenStore;
import com.cameloauth.token.store.redis.RedisStoreSettings;
import com.cameloauth.token.store.redis.RedisTokenStore;

/**
 * The runtime side of a set of connections: one {@link RequestAuthorizer} per connection (a {@link TokenManager}
 * for OAuth policies), and the listeners that receive their events. Create one per application and close it at
 * shutdown.
 */
public final class OAuthConnections implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OAuthConnections.class);
    private final Map<String, ConnectionDefinition> definitions;
    private final Map<String, RequestAuthorizer> authorizers;
    private final List<TokenEventListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService ownedExecutor;
    private final BoundedHttpSender sender = new BoundedHttpSender();
    private final TokenStore store;
    private final Map<String, ConsentClient> consentClients;
    private final PendingAuthorizations pending;

    private OAuthConnections(Builder b) {
        this.definitions = Collections.unmodifiableMap(new TreeMap<>(b.definitions));
        this.store = b.store != null ? b.store : new InMemoryTokenStore();
        Map<String, ConsentClient> consent = new HashMap<>();
        for (ConnectionDefinition d : definitions.values()) {
            consentClientOf(d).ifPresent(c -> consent.put(d.name(), c));
        }
        consent.putAll(b.consentClients);
        this.consentClients = Map.copyOf(consent);
        this.pending = new PendingAuthorizations(b.clock);
        Executor executor = b.executor;
        if (executor == null) {
            AtomicInteger n = new AtomicInteger();
            ownedExecutor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "oauth-token-refresh-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            executor = ownedExecutor;
        } else {
            ownedExecutor = null;
        }
        TokenEventListener fanOut = event -> {
            for (TokenEventListener l : listeners) {
                try {
                    l.onEvent(event);
                } catch (RuntimeException | Error e) {
                    listenerFailed(event.connection(), e);
                }
            }
        };
        Map<String, RequestAuthorizer> map = new TreeMap<>();
        for (ConnectionDefinition d : definitions.values()) {
            map.put(d.name(), authorizerFor(d, grantFor(d, b, consentClients.containsKey(d.name())), b.clock, executor,
                    b.sleeper, fanOut));
        }
        this.authorizers = Collections.unmodifiableMap(map);
    }

    public static Builder builder(Map<String, ConnectionDefinition> definitions) {
        return new Builder(definitions);
    }

    private RequestAuthorizer authorizerFor(ConnectionDefinition d, TokenGrant grant, Clock clock, Executor executor,
            Sleeper sleeper, TokenEventListener listener) {
        if (d.policy().isOAuth()) {
            TokenEndpointClient client = new TokenEndpointClient(d, grant, clock, sender);
            EndpointGuard guard = new EndpointGuard(d.name(), d.resilience(), clock);
            TokenFetcher fetcher = new TokenFetcher(client, guard, d.resilience(), sleeper);
            TokenEvents events = new TokenEvents(d.name(), grant.name(), clock, listener);
            var c = d.oauthClient().orElseThrow();
            StoreKey key = StoreKey.of(d.name(), c.tokenUrl().toString(), c.clientId(), c.scopes(), grant.name());
            if (d.security() instanceof RefreshTokenPolicy p) {
                seed(d.name(), key, p, clock);
            }
            StoreAccess access = new StoreAccess(d.name(), store, key, clock, events);
            TokenSource source = new TokenSource(d, grant, fetcher, access, clock, sleeper, events);
            return new TokenManager(d, source, guard, clock, executor, sleeper, events);
        }
        return d.credentials().map(StaticAuthorizer::of).orElseGet(StaticAuthorizer::none);
    }

    /**
     * The grant of a connection, with the refresh step in front: a test's or embedder's own grant, else the policy's
     * grant (authorization code for a connection with a consent client).
     */
    private static TokenGrant grantFor(ConnectionDefinition d, Builder b, boolean consent) {
        TokenGrant base = b.grants.get(d.name());
        if (base == null && consent) {
            base = new AuthorizationCodeTokenGrant();
        }
        if (base == null) {
            base = policyGrant(d);
        }
        if (base == null) {
            if (d.policy().isOAuth()) {
                throw new IllegalArgumentException("connection '" + d.name() + "': policy '" + d.policy()
                        + "' is not available");
            }
            return null;
        }
        return base instanceof RefreshTokenGrant ? base : new RefreshTokenGrant(base);
    }

    /** The base grant of a policy; null for a non-OAuth policy. */
    private static TokenGrant policyGrant(ConnectionDefinition d) {
        SecurityPolicy security = d.security();
        if (security instanceof ClientCredentialsPolicy) {
            return new ClientCredentialsTokenGrant();
        }
        if (security instanceof PasswordPolicy p) {
            return new PasswordTokenGrant(d.name(), p);
        }
        if (security instanceof RefreshTokenPolicy) {
            return new ConfiguredRefreshTokenGrant();
        }
        if (security instanceof AuthorizationCodePolicy) {
            return new AuthorizationCodeTokenGrant();
        }
        return null;
    }

    /** The consent client of an authorization-code connection, from its policy (endpoints configured, not discovered). */
    private static Optional<ConsentClient> consentClientOf(ConnectionDefinition d) {
        if (!(d.security() instanceof AuthorizationCodePolicy p)) {
            return Optional.empty();
        }
        ClientRegistration c = p.client();
        if (c.server().authorizationUrl().isEmpty() || c.server().tokenUrl().isEmpty()) {
            throw new IllegalArgumentException("connection '" + d.name() + "': the authorization-url and token-url must"
                    + " be configured (discovery from the issuer is not available in this version)");
        }
        return Optional.of(new ConsentClient(d.name(), c.server().authorizationUrl().get(), c.server().tokenUrl().get(),
                c.clientId(), c.clientSecret(), c.clientAuth(), p.redirectUri(), c.scopes(),
                c.server().issuer().map(URI::toString)));
    }

    /**
     * Puts the configured refresh token of a {@code refresh-token} connection in the store, unless the store already
     * holds a set for it (a rotated refresh token from an earlier run wins). The access token of the seed is expired,
     * so the first call refreshes.
     */
    private void seed(String name, StoreKey key, RefreshTokenPolicy policy, Clock clock) {
        try {
            if (store.load(key).isEmpty()) {
                Instant epoch = Instant.EPOCH;
                store.compareAndSet(key, TokenStore.ABSENT, new TokenSet("", "Bearer", epoch, epoch, List.of(),
                        Optional.of(policy.refreshToken().reveal()), Optional.empty()));
            }
        } catch (RuntimeException e) {
            LOG.warn("oauth connection '{}': could not seed the configured refresh token into the token store ({})",
                    name, e.getClass().getSimpleName());
        }
    }

    /**
     * Starts a consent for a connection: the URL to send the user's browser to (authorization code with PKCE S256 and
     * a fresh single-use state). The connection needs a consent client ({@link Builder#consent}).
     */
    public URI beginConsent(String name) {
        ConsentClient client = consentClients.get(name);
        if (client == null) {
            throw new IllegalArgumentException(definitions.containsKey(name) ? "OAuth connection '" + name + "' takes no"
                    + " consent: only authorization-code connections do" : unknown(name));
        }
        return pending.begin(client);
    }

    /**
     * Completes a consent from the callback URL the browser brought: checks state (and iss), redeems the code at the
     * token endpoint (through the same bounded sender: request-timeout and the 1 MiB cap apply), stores the token set
     * and makes the connection ACTIVE. Throws a {@code ConsentException} for a bad callback (nothing is redeemed) and
     * an {@link OAuthTokenException} when the token endpoint refuses the code.
     */
    public Token completeConsent(URI callback) {
        CompletedAuthorization done = pending.complete(callback);
        TokenManager manager = tokenManager(done.connection()).orElseThrow(
                () -> new IllegalArgumentException(unknown(done.connection())));
        return manager.completeConsent(done.grant());
    }

    /** Whether a connection starts with a user's consent ({@link #beginConsent}): authorization-code connections. */
    public boolean takesConsent(String name) {
        return consentClients.containsKey(name);
    }

    /** Connection names, sorted. */
    public Set<String> names() {
        return definitions.keySet();
    }

    public Optional<ConnectionDefinition> definition(String name) {
        return Optional.ofNullable(definitions.get(name));
    }

    /** The authorizer of a connection; fails with the list of known connections when there is none of that name. */
    public RequestAuthorizer authorizer(String name) {
        RequestAuthorizer a = authorizers.get(name);
        if (a == null) {
            throw new IllegalArgumentException(unknown(name));
        }
        return a;
    }

    /** The token manager of an OAuth connection. */
    public Optional<TokenManager> tokenManager(String name) {
        return authorizers.get(name) instanceof TokenManager m ? Optional.of(m) : Optional.empty();
    }

    /** A message naming the unknown connection and listing the known ones. */
    public String unknown(String name) {
        return "Unknown OAuth connection '" + name + "'. Known connections: "
                + (definitions.isEmpty() ? "none (define oauth.connections.<name>.* properties)" : String.join(", ", names()));
    }

    /**
     * A listener failed: the others still get the event, and the token request goes on as if nothing happened. Only
     * an OutOfMemoryError goes further.
     */
    static void listenerFailed(String connection, Throwable e) {
        if (e instanceof OutOfMemoryError oom) {
            throw oom;
        }
        LOG.warn("oauth connection '{}': an event listener failed: {}", connection, e.toString());
    }

    public void addListener(TokenEventListener listener) {
        listeners.add(listener);
    }

    public void removeListener(TokenEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void close() {
        try {
            store.close();
        } catch (RuntimeException e) {
            LOG.warn("closing the token store failed: {}", e.getClass().getSimpleName());
        }
        try {
            sender.close();
        } catch (java.io.IOException ignored) {
            // nothing useful to do at shutdown
        }
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
    }

    /** Options of the engine; the defaults suit production. */
    public static final class Builder {
        private final Map<String, ConnectionDefinition> definitions;
        private Clock clock = Clock.systemUTC();
        private Executor executor;
        private Sleeper sleeper = Sleeper.SYSTEM;
        private TokenStore store;
        private final Map<String, ConsentClient> consentClients = new HashMap<>();
        private final Map<String, TokenGrant> grants = new HashMap<>();

        private Builder(Map<String, ConnectionDefinition> definitions) {
            this.definitions = definitions;
        }

        /**
         * Where token sets (with refresh tokens) live; by default in memory. The engine closes it in
         * {@link OAuthConnections#close()}.
         */
        public Builder store(TokenStore store) {
            this.store = store;
            return this;
        }

        /**
         * The token store configuration asks for ({@code oauth.store.*}): memory, the encrypted file or Redis (opened
         * now: a wrong key, a tampered file, refused Redis credentials fail here with the store's error).
         */
        public Builder store(StoreSettings settings) {
            this.store = switch (settings.type()) {
                case MEMORY -> new InMemoryTokenStore();
                case FILE -> openFile(settings);
                case REDIS -> openRedis(settings);
            };
            return this;
        }

        /** Connects to Redis now: a refused password or an untrusted certificate fails here with the store's error. */
        private static TokenStore openRedis(StoreSettings settings) {
            StoreSettings.Redis redis = settings.redis().orElseThrow(() -> new IllegalArgumentException(
                    "oauth.store.redis.url is required for oauth.store.type=redis"));
            String key = settings.encryptionKey().orElseThrow(() -> new IllegalArgumentException(
                    "oauth.store.encryption-key is required for oauth.store.type=redis")).reveal();
            RedisStoreSettings shared = new RedisStoreSettings(redis.url().reveal(), redis.username(),
                    redis.password().map(Secret::reveal), key, redis.timeout(), redis.trustedCertificates(),
                    redis.keyPrefix());
            return RedisTokenStore.open(shared);
        }

        private static TokenStore openFile(StoreSettings settings) {
            byte[] key = settings.encryptionKeyBytes().orElseThrow(() -> new IllegalArgumentException(
                    "oauth.store.encryption-key is required for oauth.store.type=file"));
            try {
                return EncryptedFileTokenStore.open(settings.filePath().orElseThrow(() -> new IllegalArgumentException(
                        "oauth.store.file.path is required for oauth.store.type=file")), key);
            } finally {
                java.util.Arrays.fill(key, (byte) 0);
            }
        }

        /**
         * Makes a connection an authorization-code connection with this consent client, in place of the one built from
         * its {@code authorization-code} policy: consent starts with {@link #beginConsent}, and its tokens come from
         * the refresh token afterwards. For tests and embedders with their own client.
         */
        public Builder consent(String connection, ConsentClient client) {
            consentClients.put(connection, client);
            return this;
        }

        /** Replaces a connection's grant (a refresh step is put in front of it); for grants the policies lack yet. */
        Builder grant(String connection, TokenGrant grant) {
            grants.put(connection, grant);
            return this;
        }

        /** The clock for expiry and refresh decisions. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Runs background refreshes; by default a small pool of daemon threads owned by the engine. */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        /** Waits between attempts. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        public OAuthConnections build() {
            return new OAuthConnections(this);
        }
    }
}
