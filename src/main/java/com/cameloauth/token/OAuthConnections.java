package com.cameloauth.token;

import java.net.URI;
import java.time.Clock;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import javax.net.ssl.SSLContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.connection.policy.AuthorizationCodePolicy;
import com.cameloauth.connection.policy.ClientCredentialsPolicy;
import com.cameloauth.connection.policy.ClientRegistration;
import com.cameloauth.connection.policy.JwtBearerPolicy;
import com.cameloauth.connection.policy.OAuthPolicy;
import com.cameloauth.connection.policy.CustomPolicy;
import com.cameloauth.connection.policy.OidcClientPolicy;
import com.cameloauth.connection.policy.PasswordPolicy;
import com.cameloauth.connection.policy.RefreshTokenPolicy;
import com.cameloauth.connection.policy.SecurityPolicy;
import com.cameloauth.connection.policy.TokenExchangePolicy;
import com.cameloauth.token.consent.CompletedAuthorization;
import com.cameloauth.token.consent.ConsentClient;
import com.cameloauth.token.consent.PendingAuthorizations;
import com.cameloauth.token.discovery.MetadataDiscovery;
import com.cameloauth.token.grant.AuthorizationCodeTokenGrant;
import com.cameloauth.token.grant.ClientCredentialsTokenGrant;
import com.cameloauth.token.grant.ConfiguredRefreshTokenGrant;
import com.cameloauth.token.grant.JwtBearerTokenGrant;
import com.cameloauth.token.grant.CustomTokenGrant;
import com.cameloauth.token.grant.PasswordTokenGrant;
import com.cameloauth.token.grant.RefreshTokenGrant;
import com.cameloauth.token.grant.TokenExchangeTokenGrant;
import com.cameloauth.token.grant.TokenGrant;
import com.cameloauth.connection.Secret;
import com.cameloauth.connection.StoreSettings;
import com.cameloauth.token.store.EncryptedFileTokenStore;
import com.cameloauth.token.store.InMemoryTokenStore;
import com.cameloauth.token.store.StoreKey;
import com.cameloauth.token.store.TokenStore;
import com.cameloauth.token.tls.TlsContexts;
import com.cameloauth.token.dpop.DpopProofs;
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
    /** Connections with their own key or trust store: their TLS context, and a sender that uses it. */
    private final Map<String, SSLContext> tlsContexts = new HashMap<>();
    private final Map<String, BoundedHttpSender> tlsSenders = new HashMap<>();
    /** DPoP connections: their key pair (made now, kept in memory) and proof maker. */
    private final Map<String, DpopProofs> dpopProofs = new HashMap<>();
    private final TokenStore store;
    private final Map<String, ConsentClient> consentClients;
    private final PendingAuthorizations pending;
    private final MetadataDiscovery discovery;
    /** Authorization-code connections whose consent client is made after discovery, on the first consent. */
    private final Set<String> discoveredConsent = new java.util.TreeSet<>();
    private final Map<String, ConsentClient> discoveredConsentClients = new ConcurrentHashMap<>();
    private final Map<String, ConnectionEndpoints> endpoints = new HashMap<>();
    private final Map<String, TokenOperations> operations = new HashMap<>();

    private OAuthConnections(Builder b) {
        this.definitions = Collections.unmodifiableMap(new TreeMap<>(b.definitions));
        for (ConnectionDefinition d : definitions.values()) {
            TlsContexts.of(d.name(), d.tls()).ifPresent(context -> tlsContexts.put(d.name(), context));
            d.dpop().ifPresent(settings -> dpopProofs.put(d.name(), DpopProofs.generate(settings, b.clock)));
        }
        this.store = b.store != null ? b.store : new InMemoryTokenStore();
        this.discovery = new MetadataDiscovery(sender::send, b.clock);
        Map<String, ConsentClient> consent = new HashMap<>();
        for (ConnectionDefinition d : definitions.values()) {
            if (needsDiscoveryForConsent(d) && !b.consentClients.containsKey(d.name())) {
                discoveredConsent.add(d.name());
            } else {
                consentClientOf(d).ifPresent(c -> consent.put(d.name(), c));
            }
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
        checkSubjectConnections(definitions);
        Map<String, RequestAuthorizer> map = new TreeMap<>();
        for (ConnectionDefinition d : definitions.values()) {
            boolean consentBased = consentClients.containsKey(d.name()) || discoveredConsent.contains(d.name());
            map.put(d.name(), authorizerFor(d, grantFor(d, b, consentBased), b.clock, executor, b.sleeper, fanOut,
                    consentBased, b.reread, b.externalTokens));
        }
        this.authorizers = Collections.unmodifiableMap(map);
    }

    public static Builder builder(Map<String, ConnectionDefinition> definitions) {
        return new Builder(definitions);
    }

    private RequestAuthorizer authorizerFor(ConnectionDefinition d, TokenGrant grant, Clock clock, Executor executor,
            Sleeper sleeper, TokenEventListener listener, boolean consentBased,
            Function<String, Optional<ConnectionDefinition>> reread, Map<String, ExternalTokens> external) {
        if (d.policy().isOAuth()) {
            SSLContext tls = tlsContexts.get(d.name());
            BoundedHttpSender connectionSender = tls == null ? sender
                    : tlsSenders.computeIfAbsent(d.name(), n -> new BoundedHttpSender(tls));
            EndpointGuard guard = new EndpointGuard(d.name(), d.resilience(), clock);
            ConnectionEndpoints ends = null;
            TokenFetcher fetcher;
            if (d.security() instanceof CustomPolicy custom) {
                fetcher = new TokenFetcher(new CustomTokenClient(d, custom, grant, clock, connectionSender), guard,
                        d.resilience(), sleeper);
            } else if (d.security() instanceof OidcClientPolicy oidc) {
                ExternalTokens tokens = external.get(d.name());
                if (tokens == null) {
                    throw new IllegalArgumentException("connection '" + d.name() + "': policy 'oidc-client' works in the"
                            + " Quarkus app only, where quarkus.oidc-client." + oidc.clientName() + " gets the tokens;"
                            + " elsewhere use client-credentials or another policy");
                }
                fetcher = new TokenFetcher(new ExternalTokenClient(d, tokens, clock), guard, d.resilience(), sleeper);
            } else {
                // The client authentication is made now, so a bad key or password stops start-up and a key file is
                // read as it is at start; the token endpoint client once the endpoints are known (configured, or
                // discovered from the issuer on first use).
                ClientAuthenticator authenticator = ClientAuthenticators.of(d.name(),
                        ((OAuthPolicy) d.security()).client(), clock,
                        () -> reread.apply(d.name()).map(ConnectionDefinition::security)
                                .filter(OAuthPolicy.class::isInstance).map(s -> ((OAuthPolicy) s).client()));
                ends = new ConnectionEndpoints(d, discovery,
                        resolved -> new TokenEndpointClient(resolved, grant, clock, connectionSender, authenticator)
                                .withDpop(dpopProofs.get(d.name())));
                endpoints.put(d.name(), ends);
                fetcher = new TokenFetcher(ends::client, guard, d.resilience(), sleeper);
            }
            TokenEvents events = new TokenEvents(d.name(), grant.name(), clock, listener);
            if (d.security() instanceof TokenExchangePolicy p && p.subjectTokenFromHeader()) {
                return new SubjectTokenExchange(d, (TokenExchangeTokenGrant) ((RefreshTokenGrant) grant).base(), fetcher,
                        clock, events);
            }
            ConfiguredRefreshTokenGrant configured = grant instanceof RefreshTokenGrant r
                    && r.base() instanceof ConfiguredRefreshTokenGrant g ? g : null;
            StoreKey key = storeKey(d, grant, ends, configured);
            if (configured != null) {
                seed(d.name(), key, configured);
            }
            StoreAccess access = new StoreAccess(d.name(), store, key, clock, events);
            TokenSource source = new TokenSource(d, grant, fetcher, access, clock, sleeper, events);
            TokenManager manager = new TokenManager(d, source, guard, clock, executor, sleeper, events);
            if (ends != null) { // revoke and introspect: RFC 7009/7662 endpoints of a standard authorization server
                operations.put(d.name(), new TokenOperations(d.name(), ends, manager, store, key, connectionSender,
                        consentBased));
            }
            return manager;
        }
        return d.credentials().map(StaticAuthorizer::of).orElseGet(StaticAuthorizer::none);
    }

    /** Where a connection's token set is stored: a different client, endpoint or target is a different token set. */
    /**
     * The store entry of a connection: bound to what selects a different token set, so a changed connection never
     * reuses old tokens: the endpoint and client, the scopes and grant, a refresh-token connection's configured token
     * (a new one starts a new entry), the password grant's resource owner, a token exchange's subject and target, and
     * the DPoP key of this run (after a restart a new key: a stored token bound to the old one must not be used).
     */
    private StoreKey storeKey(ConnectionDefinition d, TokenGrant grant, ConnectionEndpoints ends,
            ConfiguredRefreshTokenGrant configured) {
        if (d.security() instanceof OidcClientPolicy oidc) {
            return StoreKey.of(d.name(), "quarkus.oidc-client." + oidc.clientName(), "", List.of(), grant.name());
        }
        if (d.security() instanceof CustomPolicy custom) {
            return StoreKey.of(d.name(), custom.request().url(), custom.clientId().orElse(""), custom.scopes(),
                    grant.name(), custom.request().method());
        }
        var c = ((OAuthPolicy) d.security()).client();
        List<String> extra = new java.util.ArrayList<>();
        DpopProofs dpop = dpopProofs.get(d.name());
        if (dpop != null) {
            extra.add("dpop-jkt:" + dpop.thumbprint());
        }
        if (configured != null) {
            extra.add(configured.storeBinding());
        }
        if (d.security() instanceof PasswordPolicy p) {
            extra.add("username:" + p.username());
        }
        if (d.security() instanceof TokenExchangePolicy p) {
            extra.add(p.subjectConnection().orElse(""));
            extra.add(c.audience().orElse(""));
            extra.add(c.resources().toString());
            extra.add(p.requestedTokenType().map(URI::toString).orElse(""));
        }
        return StoreKey.of(d.name(), ends.storeBinding(), c.clientId(), c.scopes(), grant.name(),
                extra.toArray(String[]::new));
    }

    /**
     * The grant of a connection, with the refresh step in front: a test's or embedder's own grant, else the policy's
     * grant (authorization code for a connection with a consent client).
     */
    private TokenGrant grantFor(ConnectionDefinition d, Builder b, boolean consent) {
        TokenGrant base = b.grants.get(d.name());
        if (base == null && consent && !(d.security() instanceof CustomPolicy)) {
            base = new AuthorizationCodeTokenGrant();
        }
        if (base == null) {
            base = policyGrant(d, b.clock);
        }
        if (base == null) {
            if (d.policy().isOAuth()) {
                throw new IllegalArgumentException("connection '" + d.name() + "': policy '" + d.policy()
                        + "' is not available");
            }
            return null;
        }
        // a custom endpoint does not speak RFC 6749: its own template refreshes, with {refresh-token}
        return base instanceof RefreshTokenGrant || base instanceof CustomTokenGrant ? base : new RefreshTokenGrant(base);
    }

    /** The base grant of a policy; null for a non-OAuth policy. */
    private TokenGrant policyGrant(ConnectionDefinition d, Clock clock) {
        SecurityPolicy security = d.security();
        if (security instanceof CustomPolicy custom) {
            return new CustomTokenGrant(custom.threeLegged());
        }
        if (security instanceof OidcClientPolicy) {
            return ExternalTokenClient.GRANT;
        }
        if (security instanceof TokenExchangePolicy p) {
            // the subject connection's current token, read when a request is built (the map exists by then)
            return new TokenExchangeTokenGrant(p, () -> p.subjectConnection()
                    .map(subject -> authorizers.get(subject).authorize().token().value()).orElseThrow());
        }
        if (security instanceof ClientCredentialsPolicy) {
            return new ClientCredentialsTokenGrant();
        }
        if (security instanceof PasswordPolicy p) {
            return new PasswordTokenGrant(d.name(), p);
        }
        if (security instanceof RefreshTokenPolicy p) {
            return new ConfiguredRefreshTokenGrant(p.refreshToken());
        }
        if (security instanceof AuthorizationCodePolicy) {
            return new AuthorizationCodeTokenGrant();
        }
        if (security instanceof JwtBearerPolicy p) {
            return new JwtBearerTokenGrant(d.name(), p, clock);
        }
        return null;
    }

    /** Whether an authorization-code connection leaves its authorization or token endpoint to discovery. */
    private static boolean needsDiscoveryForConsent(ConnectionDefinition d) {
        return d.security() instanceof AuthorizationCodePolicy p && p.client().server().issuer().isPresent()
                && (p.client().server().authorizationUrl().isEmpty() || p.client().server().tokenUrl().isEmpty());
    }

    /**
     * A token-exchange connection's subject-connection must be another OAuth connection of this set, and following
     * subject connections must never come back to where it started (each would wait for the other's token).
     */
    private static void checkSubjectConnections(Map<String, ConnectionDefinition> definitions) {
        for (ConnectionDefinition d : definitions.values()) {
            String at = d.name();
            java.util.Set<String> seen = new java.util.LinkedHashSet<>(List.of(at));
            while (definitions.get(at).security() instanceof TokenExchangePolicy p && p.subjectConnection().isPresent()) {
                String next = p.subjectConnection().get();
                ConnectionDefinition subject = definitions.get(next);
                String problem = subject == null ? "names no connection"
                        : !subject.policy().isOAuth() ? "has policy '" + subject.policy() + "', which has no access token"
                        : subject.security() instanceof TokenExchangePolicy sp && sp.subjectTokenFromHeader()
                                ? "takes its subject token from each message, so it has no token of its own"
                        : seen.contains(next) ? "makes a cycle (" + String.join(" -> ", seen) + " -> " + next + ")" : null;
                if (problem != null) {
                    throw new IllegalArgumentException("connection '" + at + "': key 'subject-connection': '" + next
                            + "' " + problem + "; name another OAuth connection whose token is to be exchanged");
                }
                seen.add(next);
                at = next;
            }
        }
    }

    /** The consent client of an authorization-code connection, from its policy (endpoints configured or discovered). */
    private static Optional<ConsentClient> consentClientOf(ConnectionDefinition d) {
        if (d.security() instanceof CustomPolicy custom) {
            return custom.consent().map(c -> new ConsentClient(d.name(), c.authorizationUrl(),
                    // the template redeems the code; the token URL here only names the endpoint (placeholders removed)
                    customTokenUrl(custom, c.authorizationUrl()), custom.clientId().orElseThrow(),
                    custom.clientSecret(), com.cameloauth.connection.ClientAuthMethod.CLIENT_SECRET_POST,
                    c.redirectUri(), custom.scopes(), c.issuer()));
        }
        if (!(d.security() instanceof AuthorizationCodePolicy p)) {
            return Optional.empty();
        }
        ClientRegistration c = p.client();
        if (c.server().authorizationUrl().isEmpty() || c.server().tokenUrl().isEmpty()) {
            throw new IllegalArgumentException("connection '" + d.name() + "': the authorization-url and token-url must"
                    + " be configured, or the issuer's metadata must have them");
        }
        return Optional.of(new ConsentClient(d.name(), c.server().authorizationUrl().get(), c.server().tokenUrl().get(),
                c.clientId(), c.clientSecret(), c.clientAuth(), p.redirectUri(), c.scopes(),
                c.server().issuer().map(URI::toString)));
    }

    /** The custom template's URL without its placeholders; the authorization URL when that is no URI. */
    private static URI customTokenUrl(CustomPolicy custom, URI fallback) {
        try {
            return URI.create(custom.request().url().replaceAll("\\{[^}]*}", ""));
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    /**
     * Puts the configured refresh token of a {@code refresh-token} connection in the store, unless the store already
     * holds a set for it (a rotated refresh token from an earlier run with the same configured token wins; the key is
     * bound to the configured token). The access token of the seed is expired, so the first call refreshes.
     */
    private void seed(String name, StoreKey key, ConfiguredRefreshTokenGrant grant) {
        try {
            if (store.load(key).isEmpty()) {
                store.compareAndSet(key, TokenStore.ABSENT, grant.seed());
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
        if (client == null && discoveredConsent.contains(name)) {
            client = discoveredConsentClients.get(name);
            if (client == null) {
                client = consentClientOf(endpoints.get(name).definition()).orElseThrow();
                ConsentClient raced = discoveredConsentClients.putIfAbsent(name, client);
                client = raced != null ? raced : client;
            }
        }
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
        return consentClients.containsKey(name) || discoveredConsent.contains(name);
    }

    /**
     * Revokes an OAuth connection's tokens (RFC 7009): the refresh token first, then the access token, at the
     * revocation endpoint (revocation-url, or the issuer's metadata) when one is known; then drops the stored token set
     * and the cached token in any case, and emits REVOKED. An authorization-code connection needs consent again
     * (NEEDS_CONSENT); the others get a new token on the next call. A server error is reported in the result.
     */
    public RevocationResult revoke(String name) {
        return operationsOf(name).revoke();
    }

    /**
     * Introspects the connection's current access token (RFC 7662; one is fetched if none is valid) at the
     * introspection endpoint (introspection-url, or the issuer's metadata). The result never holds a token.
     */
    public IntrospectionResult introspect(String name) {
        return operationsOf(name).introspect();
    }

    /**
     * The revocation endpoint of an OAuth connection: configured, or from the issuer's metadata (read now if needed);
     * empty when there is none or the metadata cannot be read.
     */
    public Optional<URI> revocationEndpoint(String name) {
        ConnectionEndpoints e = endpoints.get(name);
        if (e == null) {
            return Optional.empty();
        }
        try {
            return e.policy().client().server().revocationUrl();
        } catch (OAuthTokenException unreadable) {
            return Optional.empty();
        }
    }

    private TokenOperations operationsOf(String name) {
        TokenOperations ops = operations.get(name);
        if (ops == null) {
            throw new IllegalArgumentException(definitions.containsKey(name) ? "OAuth connection '" + name + "' uses"
                    + " policy '" + definitions.get(name).policy() + "', which has no tokens to revoke or introspect"
                    : unknown(name));
        }
        return ops;
    }

    /**
     * The TLS context of a connection with its own {@code tls-key-store} or {@code tls-trust-store}, for its API calls;
     * empty when the JVM's defaults apply.
     */
    public Optional<SSLContext> sslContext(String name) {
        return Optional.ofNullable(tlsContexts.get(name));
    }

    /** The DPoP proofs of a connection with {@code dpop=true}, for its API calls; empty otherwise. */
    public Optional<DpopProofs> dpop(String name) {
        return Optional.ofNullable(dpopProofs.get(name));
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

    /** The per-message exchange of a token-exchange connection with {@code subject-token-from-header=true}. */
    public Optional<SubjectTokenExchange> subjectTokenExchange(String name) {
        return authorizers.get(name) instanceof SubjectTokenExchange s ? Optional.of(s) : Optional.empty();
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
        List<BoundedHttpSender> senders = new java.util.ArrayList<>(tlsSenders.values());
        senders.add(sender);
        for (BoundedHttpSender s : senders) {
            try {
                s.close();
            } catch (java.io.IOException ignored) {
                // nothing useful to do at shutdown
            }
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
        private Function<String, Optional<ConnectionDefinition>> reread = name -> Optional.empty();
        private final Map<String, ExternalTokens> externalTokens = new HashMap<>();

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

        /**
         * Where a connection's definition is read again from configuration when its token endpoint answers
         * {@code invalid_client}: if the client secret or key file changed (a rotated vault or Kubernetes secret),
         * one more request is made with the new one. By default nothing is read again. See
         * {@code ConnectionDefinitions.rereading}.
         */
        public Builder reread(Function<String, Optional<ConnectionDefinition>> reread) {
            this.reread = java.util.Objects.requireNonNull(reread, "reread");
            return this;
        }

        /**
         * Where an {@code oidc-client} connection gets its tokens (the Quarkus app registers its OIDC clients here);
         * the engine still caches, refreshes ahead of expiry and replays on 401.
         */
        public Builder externalTokens(String connection, ExternalTokens tokens) {
            externalTokens.put(connection, tokens);
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
