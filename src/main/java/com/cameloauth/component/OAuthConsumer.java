package com.cameloauth.component;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.TokenEvent;
import com.cameloauth.token.TokenEventListener;

/**
 * {@code from("oauth:<connection>")} or {@code from("oauth:*")}: one exchange per token lifecycle event, so that
 * routes can alert or audit with ordinary Camel. The body is the {@link TokenEvent}; it never holds a token.
 */
final class OAuthConsumer extends DefaultConsumer implements TokenEventListener {
    private final OAuthEndpoint endpoint;
    private OAuthConnections connections;

    OAuthConsumer(OAuthEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        connections = endpoint.getComponent().getConnections();
        connections.addListener(this);
    }

    @Override
    protected void doStop() throws Exception {
        if (connections != null) {
            connections.removeListener(this);
        }
        super.doStop();
    }

    @Override
    public void onEvent(TokenEvent event) {
        if (!endpoint.isAllConnections() && !endpoint.getConnection().equals(event.connection())) {
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
