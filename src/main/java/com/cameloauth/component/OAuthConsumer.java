package com.cameloauth.component;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.TokenEvent;
import com.cameloauth.token.TokenEventListener;

/**
 * {@code from("oauth:<connection>")} or {@code from("oauth:*")}: one exchange per token lifecycle event, so that
 * routes can alert or audit with ordinary Camel. The body is the {@link TokenEvent}; it never holds a token.
 * <p>
 * The route runs on the consumer's own thread, one event after the other in the order they happened, never on the
 * thread that got the token: a slow or failing route cannot hold up a token request or a caller. Up to
 * {@link #QUEUE_CAPACITY} events wait for a slow route; beyond that, events are dropped and counted (logged at WARN the
 * first time), so that the engine never blocks.
 */
final class OAuthConsumer extends DefaultConsumer implements TokenEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(OAuthConsumer.class);
    /** How many events may wait for the route. Token events are rare: a full queue means the route is stuck. */
    static final int QUEUE_CAPACITY = 1000;

    private final OAuthEndpoint endpoint;
    private final AtomicLong dropped = new AtomicLong();
    private OAuthConnections connections;
    private volatile ExecutorService executor;

    OAuthConsumer(OAuthEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        ThreadPoolProfile profile = new ThreadPoolProfile("oauth-events");
        profile.setPoolSize(1);
        profile.setMaxPoolSize(1);
        profile.setMaxQueueSize(QUEUE_CAPACITY);
        profile.setAllowCoreThreadTimeOut(false);
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
        executor = endpoint.getCamelContext().getExecutorServiceManager().newThreadPool(this,
                "OAuthEvents[" + endpoint.getConnection() + "]", profile);
        connections = endpoint.getComponent().getConnections();
        connections.addListener(this);
    }

    @Override
    protected void doStop() throws Exception {
        if (connections != null) {
            connections.removeListener(this);
        }
        ExecutorService ex = executor;
        executor = null;
        if (ex != null) {
            endpoint.getCamelContext().getExecutorServiceManager().shutdown(ex);
        }
        super.doStop();
    }

    /** Hands the event to the consumer's thread; never waits for the route. */
    @Override
    public void onEvent(TokenEvent event) {
        if (!endpoint.isAllConnections() && !endpoint.getConnection().equals(event.connection())) {
            return;
        }
        ExecutorService ex = executor;
        if (ex == null) {
            return;
        }
        try {
            ex.execute(() -> deliver(event));
        } catch (RejectedExecutionException e) {
            if (ex.isShutdown()) {
                return;
            }
            long n = dropped.incrementAndGet();
            if (n == 1) {
                LOG.warn("oauth consumer '{}': the route is not keeping up ({} events waiting); dropping token events"
                        + " until it does (further drops are logged at DEBUG)", endpoint.getEndpointUri(), QUEUE_CAPACITY);
            } else {
                LOG.debug("oauth consumer '{}': {} token events dropped", endpoint.getEndpointUri(), n);
            }
        }
    }

    /** Events dropped because the route did not keep up. */
    long droppedEvents() {
        return dropped.get();
    }

    private void deliver(TokenEvent event) {
        if (!isRunAllowed()) {
            return;
        }
        Exchange exchange = createExchange(true);
        exchange.getMessage().setBody(event);
        exchange.getMessage().setHeader(OAuthConstants.EVENT_TYPE, event.type().name());
        exchange.getMessage().setHeader(OAuthConstants.CONNECTION, event.connection());
        if (event.fingerprint() != null) {
            exchange.getMessage().setHeader(OAuthConstants.TOKEN_FINGERPRINT, event.fingerprint());
        }
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            getExceptionHandler().handleException("Error processing OAuth event", exchange, exchange.getException());
        }
        releaseExchange(exchange, false);
    }
}
