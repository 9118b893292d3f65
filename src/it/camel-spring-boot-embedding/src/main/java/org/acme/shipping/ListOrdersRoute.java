package org.acme.shipping;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/** GET <base-url>/v1/orders with the orders connection's Bearer token. */
@Component
public class ListOrdersRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:list-orders").routeId("list-orders")
                .setHeader(Exchange.HTTP_METHOD, constant("GET"))
                .to("oauth:orders/v1/orders")
                .log("list-orders answered ${header.CamelHttpResponseCode}");
    }
}
