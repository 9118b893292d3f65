package com.cameloauth.samples;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.model.dataformat.JsonLibrary;

import com.cameloauth.token.OAuthTokenException;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Sample integration: every 5 s, read the new orders from the order system and book a shipment for each with the
 * carrier. Two connections, two token lifecycles, no token code in the route:
 * <ul>
 * <li>{@code orders-api}: client credentials (client_secret_basic), scope orders:read;</li>
 * <li>{@code shipping-api}: client credentials (client_secret_post), scope shipments:write.</li>
 * </ul>
 * The oauth: component gets each token once, reuses it, refreshes it before it expires and replays a request once
 * if the API answers 401.
 */
public class OrdersToShipmentsRoute extends RouteBuilder {

    /** An order as the order system returns it (only what this integration needs). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Order(String id, Customer customer, Address shipTo, List<OrderLine> lines) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Customer(String name, String email) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Address(String street, String city, String postalCode, String country) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record OrderLine(String sku, int quantity, double weightKg) {
    }

    /** What the carrier wants: one parcel per started 20 kg, express for heavy orders. */
    public record ShipmentRequest(String reference, String recipient, Address address, int parcels, double weightKg,
            String service) {
        static final double MAX_PARCEL_KG = 20.0;

        public static ShipmentRequest forOrder(Order order) {
            double weight = order.lines().stream().mapToDouble(l -> l.quantity() * l.weightKg()).sum();
            int parcels = Math.max(1, (int) Math.ceil(weight / MAX_PARCEL_KG));
            return new ShipmentRequest(order.id(), order.customer().name(), order.shipTo(), parcels,
                    Math.round(weight * 10) / 10.0, weight > MAX_PARCEL_KG ? "EXPRESS" : "STANDARD");
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Shipment(String id, String reference, String carrier, String trackingNumber, String status) {
    }

    @Override
    public void configure() {
        // An API or token endpoint failure skips this round; the next poll tries again. Messages name the connection
        // and the HTTP status, never a token.
        onException(HttpOperationFailedException.class, OAuthTokenException.class).handled(true)
                .log(LoggingLevel.WARN, "orders-to-shipments: ${exception.message}; retrying at the next poll");

        from("timer:orders-to-shipments?period={{samples.orders.poll-period:5000}}&delay=1000")
                .routeId("orders-to-shipments")
                // a sample: runs in the dev and test profiles (against the demo) or with samples.enabled=true
                .precondition("{{samples.enabled:false}}")
                .setHeader(Exchange.HTTP_METHOD, constant("GET"))
                .setHeader(Exchange.HTTP_QUERY, constant("status=NEW"))
                .to("oauth:orders-api/orders")
                .unmarshal().json(JsonLibrary.Jackson, Order[].class)
                .split(body())
                    .process(exchange -> {
                        Order order = exchange.getMessage().getBody(Order.class);
                        exchange.getMessage().setHeader("orderId", order.id());
                        exchange.getMessage().setBody(ShipmentRequest.forOrder(order));
                    })
                    .marshal().json(JsonLibrary.Jackson)
                    // camel-http POSTs whenever the body is not null: say what we mean
                    .setHeader(Exchange.HTTP_METHOD, constant("POST"))
                    .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                    .removeHeader(Exchange.HTTP_QUERY)
                    .to("oauth:shipping-api/shipments")
                    .unmarshal().json(JsonLibrary.Jackson, Shipment.class)
                    .process(exchange -> {
                        Shipment shipment = exchange.getMessage().getBody(Shipment.class);
                        exchange.getMessage().setHeader("shipmentId", shipment.id());
                        exchange.getMessage().setHeader("trackingNumber", shipment.trackingNumber());
                    })
                    .log("orders-to-shipments: order ${header.orderId} booked as shipment ${header.shipmentId}"
                            + " (tracking ${header.trackingNumber})")
                .end();
    }
}
