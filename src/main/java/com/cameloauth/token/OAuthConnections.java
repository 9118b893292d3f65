package com.cameloauth.token;

import java.time.Clock;
import java.util.Collections;
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
import com.cameloauth.token.grant.ClientCredentialsTokenGrant;
import com.cameloauth.token.grant.TokenGrant;

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

    private OAuthConnections(Builder b) {
        this.definitions = Collections.unmodifiableMap(new TreeMap<>(b.definitions));
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
            map.put(d.name(), authorizerFor(d, b.clock, executor, b.sleeper, fanOut, sender));
        }
        this.authorizers = Collections.unmodifiableMap(map);
    }

    public static Builder builder(Map<String, ConnectionDefinition> definitions) {
        return new Builder(definitions);
    }

    private static RequestAuthorizer authorizerFor(ConnectionDefinition d, Clock clock, Executor executor, Sleeper sleeper,
            TokenEventListener listener, BoundedHttpSender sender) {
        if (d.policy().isOAuth()) {
            TokenEndpointClient client = new TokenEndpointClient(d, grantFor(d), clock, sender);
            TokenFetcher fetcher = new TokenFetcher(client, new EndpointGuard(d.name(), d.resilience(), clock),
                    d.resilience(), sleeper);
            return new TokenManager(d, fetcher, clock, executor, sleeper, listener);
        }
        return d.credentials().map(StaticAuthorizer::of).orElseGet(StaticAuthorizer::none);
    }

    private static TokenGrant grantFor(ConnectionDefinition d) {
        if (d.policy() == Policy.CLIENT_CREDENTIALS) {
            return new ClientCredentialsTokenGrant();
        }
        throw new IllegalArgumentException("connection '" + d.name() + "': policy '" + d.policy() + "' is not available");
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

        private Builder(Map<String, ConnectionDefinition> definitions) {
            this.definitions = definitions;
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
