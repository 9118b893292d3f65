package com.cameloauth.component;

import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;

/**
 * A header of the exchange would have sent an {@code oauth:} call, with the connection's credential, outside the
 * connection's base-url (another scheme, host or port, or a path out of the base-url path). Nothing was sent.
 */
public class RequestTargetRefusedException extends CamelExchangeException {
    private final String connection;
    private final String header;

    public RequestTargetRefusedException(Exchange exchange, String connection, String header, String reason) {
        super("OAuth connection '" + connection + "': header " + header + " " + reason + "; nothing was sent. Give "
                + header + " a path below the connection's base-url, or remove it", exchange);
        this.connection = connection;
        this.header = header;
    }

    /** The connection whose call was refused. */
    public String getConnection() {
        return connection;
    }

    /** The header that would have moved the call, e.g. {@code CamelHttpPath}. */
    public String getHeader() {
        return header;
    }
}
