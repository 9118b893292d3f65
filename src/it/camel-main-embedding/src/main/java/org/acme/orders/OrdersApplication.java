package org.acme.orders;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.apache.camel.main.Main;

/**
 * Starts Camel with application.properties, the YAML routes under camel/ and the RouteBuilders of this package, with a
 * Micrometer registry bound in Camel's registry: the oauth: component binds its metrics to it.
 */
public final class OrdersApplication {

    private OrdersApplication() {
    }

    public static void main(String... args) throws Exception {
        create(new SimpleMeterRegistry()).run(args);
    }

    /** The application, its oauth: metrics going to {@code meters} (use your Prometheus or OTLP registry here). */
    static Main create(MeterRegistry meters) {
        Main main = new Main(OrdersApplication.class);
        main.bind("meterRegistry", meters);
        return main;
    }
}
