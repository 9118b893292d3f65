package com.cameloauth.component;

import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;

/** The API answered 401 and a new token is ready, but the request body was a stream already consumed. */
public class NonReplayableBodyException extends CamelExchangeException {
    public NonReplayableBodyException(Exchange exchange, String connection) {
        super("OAuth connection '" + connection + "': the API answered 401 and a new token was obtained, but the request"
                + " body is a stream that was already sent and cannot be replayed; enable stream caching"
                + " (camelContext.setStreamCaching(true)) or send a String or byte[] body", exchange);
    }
}
