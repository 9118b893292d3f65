package org.acme.orders;

import org.apache.camel.main.Main;

/** Starts Camel with application.properties, the YAML routes under camel/ and the RouteBuilders of this package. */
public final class OrdersApplication {

    private OrdersApplication() {
    }

    public static void main(String... args) throws Exception {
        new Main(OrdersApplication.class).run(args);
    }
}
