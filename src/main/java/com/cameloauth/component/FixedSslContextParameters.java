package com.cameloauth.component;

import javax.net.ssl.SSLContext;

import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * Hands camel-http a connection's ready-made {@link SSLContext} (built by the token engine from its tls-* keys), so
 * that API calls present the same client certificate and trust the same CAs as its token requests. camel-http keeps
 * its default host name verifier.
 */
final class FixedSslContextParameters extends SSLContextParameters {
    private final SSLContext context;

    FixedSslContextParameters(SSLContext context) {
        this.context = context;
    }

    @Override
    public SSLContext createSSLContext(CamelContext camelContext) {
        return context;
    }
}
