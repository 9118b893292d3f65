package com.cameloauth.component;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

import com.cameloauth.connection.ConnectionDefinition;

/**
 * Calls an API through a named OAuth connection, with the token lifecycle handled for you; as a consumer, receives the
 * connection's token lifecycle events.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "oauth", title = "OAuth Connection", syntax = "oauth:connection/path",
             category = { Category.HTTP, Category.SECURITY }, headersClass = OAuthConstants.class)
public class OAuthEndpoint extends DefaultEndpoint {

    @UriPath(description = "Name of the connection, defined by the oauth.connections.<name>.* properties; as a consumer,"
            + " * receives the events of every connection")
    @Metadata(required = true)
    private String connection;

    @UriPath(description = "Path below the connection's base-url; the CamelHttpPath header is appended to it, as in camel-http")
    private String path;

    @UriParam(defaultValue = "call", description = "call: send the exchange to <base-url>/<path> through camel-http with"
            + " the connection's credentials. token: put the current access token in the CamelOAuthAccessToken header."
            + " refresh: get a new token now. test: run the token flow now and put a report (result, state, fingerprint,"
            + " expiry or error) in the body. consent-url: start a consent (authorization-code connections) and put"
            + " the URL for the user's browser in the body and the CamelOAuthConsentUrl header. revoke: revoke the"
            + " refresh token, then the access token, at the server (RFC 7009) and drop them; the body becomes a map"
            + " (revoked, failures, serverSide, state). introspect: ask the server about the current access token"
            + " (RFC 7662); the body becomes its answer as a map, without the token.",
            enums = "call,token,refresh,test,consent-url,revoke,introspect")
    private OAuthOperation operation = OAuthOperation.call;

    @UriParam(defaultValue = "true", description = "Throw camel-http's HttpOperationFailedException when the API answers"
            + " outside 2xx; false returns the answer with its CamelHttpResponseCode")
    private boolean throwExceptionOnFailure = true;

    @UriParam(label = "advanced", defaultValue = "true", description = "When the API answers 401 (invalid_token or no"
            + " error), evict the token, get a new one and send the request once more")
    private boolean replayOnUnauthorized = true;

    public OAuthEndpoint(String uri, OAuthComponent component, String connection, String path) {
        super(uri, component);
        this.connection = connection;
        this.path = path;
    }

    @Override
    public OAuthComponent getComponent() {
        return (OAuthComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new OAuthProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (path != null && !path.isEmpty()) {
            throw new IllegalArgumentException("from(\"oauth:" + connection + "/" + path + "\"): a consumer receives a"
                    + " connection's events and takes no path; use from(\"oauth:" + connection + "\")");
        }
        OAuthConsumer consumer = new OAuthConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /**
     * Camel's own error for an unknown enum value names the Java type but not the valid values: say them. Values Camel
     * resolves later (a #bean reference) are left to it.
     */
    static void checkOperation(String remaining, Object value) {
        if (!(value instanceof String text) || text.startsWith("#")) {
            return;
        }
        if (OAuthOperation.fromUriValue(text).isPresent()) {
            return;
        }
        throw new IllegalArgumentException("oauth:" + remaining + ": unknown operation '" + text + "'; valid operations: "
                + java.util.Arrays.stream(OAuthOperation.values()).map(OAuthOperation::uriValue).collect(java.util.stream.Collectors.joining(", ")));
    }

    /** Whether this endpoint stands for every connection ({@code oauth:*}, consumers only). */
    boolean isAllConnections() {
        return "*".equals(connection);
    }

    ConnectionDefinition definition() {
        return getComponent().getConnections().definition(connection)
                .orElseThrow(() -> new IllegalStateException(getComponent().getConnections().unknown(connection)));
    }

    public String getConnection() {
        return connection;
    }

    public void setConnection(String connection) {
        this.connection = connection;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public OAuthOperation getOperation() {
        return operation;
    }

    public void setOperation(OAuthOperation operation) {
        this.operation = operation;
    }

    public boolean isThrowExceptionOnFailure() {
        return throwExceptionOnFailure;
    }

    public void setThrowExceptionOnFailure(boolean throwExceptionOnFailure) {
        this.throwExceptionOnFailure = throwExceptionOnFailure;
    }

    public boolean isReplayOnUnauthorized() {
        return replayOnUnauthorized;
    }

    public void setReplayOnUnauthorized(boolean replayOnUnauthorized) {
        this.replayOnUnauthorized = replayOnUnauthorized;
    }
}
