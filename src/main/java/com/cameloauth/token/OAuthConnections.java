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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.connection.Policy;
import com.cameloauth.token.consent.CompletedAuthorization;
import com.cameloauth.token.consent.ConsentClient;
import com.cameloauth.token.consent.PendingAuthorizations;
import com.cameloauth.token.grant.AuthorizationCodeTokenGrant;
import com.cameloauth.token.grant.ClientCredentialsTokenGrant;
import com.cameloauth.token.grant.RefreshTokenGrant;
import com.cameloauth.token.grant.TokenGrant;
import com.cameloauth.token.store.InMemoryTokenStore;
import com.cameloauth.token.store.StoreKey;
import com.cameloauth.token.store.TokenStore;

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
        this.consentClients = Map.copyOf(b.consentClients);
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
            map.put(d.name(), authorizerFor(d, grantFor(d, b), b.clock, executor, b.sleeper, fanOut));
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
            TokenSource source = new TokenSource(d, grant, fetcher, new StoreAccess(d.name(), store, key), clock,
                    sleeper, events);
            return new TokenManager(d, source, guard, clock, executor, sleeper, events);
        }
        return d.credentials().map(StaticAuthorizer::of).orElseGet(StaticAuthorizer::none);
    }

    /**
     * The grant of a connection, with the refresh step in front: a test's or embedder's own grant, the authorization
     * code grant for a connection with a consent client, else the policy's grant.
     */
    private static TokenGrant grantFor(ConnectionDefinition d, Builder b) {
        TokenGrant base = b.grants.get(d.name());
        if (base == null && b.consentClients.containsKey(d.name())) {
            base = new AuthorizationCodeTokenGrant();
        }
        if (base == null && d.policy() == Policy.CLIENT_CREDENTIALS) {
            base = new ClientCredentialsTokenGrant();
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
         * Makes a connection an authorization-code connection: consent starts with {@link #beginConsent}, and its
         * tokens come from the refresh token afterwards. Until the policy model reads {@code authorization-url} and
         * {@code redirect-uri} from the connection keys, the caller gives them here.
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
