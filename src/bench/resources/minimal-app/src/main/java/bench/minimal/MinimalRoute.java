package bench.minimal;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * The baseline of the startup workload: a timer (same first delay as the project's orders-to-shipments sample) that
 * calls the loopback API with plain camel-http and a fixed Authorization header, and logs a marker line once, on its
 * first completed call.
 */
public class MinimalRoute extends RouteBuilder {
    private final AtomicBoolean first = new AtomicBoolean(true);

    @Override
    public void configure() {
        from("timer:minimal?period=5000&delay=1000")
                .routeId("minimal")
                .setHeader("Authorization", constant("Bearer fixed-token"))
                .setHeader(Exchange.HTTP_METHOD, constant("GET"))
                .setHeader(Exchange.HTTP_QUERY, constant("status=NEW"))
                .to("{{bench.api-base}}/orders")
                .filter(exchange -> first.getAndSet(false))
                    .log("minimal: first call completed (HTTP ${header.CamelHttpResponseCode})")
                .end();
    }
}
