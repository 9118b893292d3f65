package org.acme.orders;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/** POST <base-url>/v1/orders with the connection's Bearer token: the Java DSL side of the same connection. */
public class CreateOrderRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:create-order").routeId("create-order")
                .setHeader(Exchange.HTTP_METHOD, constant("POST"))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .to("oauth:orders/v1/orders")
                .log("create-order answered ${header.CamelHttpResponseCode}: ${body}");
    }
}
