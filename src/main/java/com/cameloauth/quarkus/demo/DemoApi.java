package com.cameloauth.quarkus.demo;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.arc.profile.IfBuildProfile;

/**
 * The demo's protected API (RFC 6750 bearer tokens from {@link DemoAuthorizationServer}): an order system with
 * {@code GET /demo/api/orders} (scope orders:read) and a carrier with {@code POST /demo/api/shipments} (scope
 * shipments:write) and {@code GET /demo/api/shipments} (scope shipments:read); and, for a user who consented
 * (a token from the authorization code grant), {@code GET /demo/api/me/orders} (scope orders:read). Dev and test
 * builds only.
 */
@ApplicationScoped
@Path("/demo/api")
@Produces(MediaType.APPLICATION_JSON)
@IfBuildProfile(anyOf = { "dev", "test" })
public class DemoApi {
    public record Address(String street, String city, String postalCode, String country) {
    }

    public record Customer(String name, String email) {
    }

    public record OrderLine(String sku, String description, int quantity, double weightKg) {
    }

    public record Order(String id, Instant placedAt, String status, Customer customer, Address shipTo, List<OrderLine> lines) {
    }

    /** A user's own orders: who the token acts for, and what they ordered. */
    public record MyOrders(String user, String name, List<Order> orders) {
    }

    public record NewShipment(String reference, String recipient, Address address, Integer parcels, Double weightKg,
            String service) {
    }

    public record Shipment(String id, String reference, String carrier, String trackingNumber, String service, int parcels,
            String status, Instant createdAt) {
    }

    private static final Duration IN_TRANSIT_FOR = Duration.ofSeconds(30);
    private static final int SHIPMENTS_KEPT = 200;
    private static final List<Customer> CUSTOMERS = List.of(new Customer("Ada Lovelace", "ada@example.com"),
            new Customer("Grace Hopper", "grace@example.com"), new Customer("Alan Turing", "alan@example.com"));
    private static final List<Address> ADDRESSES = List.of(new Address("12 St James's Square", "London", "SW1Y 4LB", "GB"),
            new Address("Marktplatz 1", "Heidelberg", "69117", "DE"), new Address("5 Rue de Rivoli", "Paris", "75004", "FR"));
    private static final List<OrderLine> PRODUCTS = List.of(new OrderLine("CAM-100", "Camel saddle", 1, 7.5),
            new OrderLine("TENT-2P", "Two-person tent", 1, 2.4), new OrderLine("LAMP-LED", "Lantern", 2, 0.3),
            new OrderLine("WATER-20", "Water canister 20 l", 1, 21.0));

    private final AtomicLong orderSequence = new AtomicLong(1000);
    private final AtomicLong shipmentSequence = new AtomicLong();
    private final Deque<Shipment> shipments = new ArrayDeque<>();
    private final Clock clock = Clock.systemUTC();

    @Inject
    DemoTokens tokens;

    @Inject
    DemoStats stats;

    /** The orders placed since the last call (one or two each time). */
    @GET
    @Path("/orders")
    public Response newOrders(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @QueryParam("status") String status) {
        Optional<Response> denied = deny(authorization, "orders:read");
        if (denied.isPresent()) {
            return denied.get();
        }
        if (status != null && !status.equals("NEW")) {
            return Response.ok(List.of()).build();
        }
        long first = orderSequence.get();
        int count = first % 3 == 0 ? 2 : 1;
        List<Order> orders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long n = orderSequence.getAndIncrement();
            int k = (int) n;
            orders.add(new Order("ORD-" + n, clock.instant(), "NEW", CUSTOMERS.get(k % CUSTOMERS.size()),
                    ADDRESSES.get(k % ADDRESSES.size()), List.of(PRODUCTS.get(k % PRODUCTS.size()),
                            PRODUCTS.get((k + 1) % PRODUCTS.size()))));
        }
        return Response.ok(orders).build();
    }

    /** The orders of the user the token acts for; a client's own token (client credentials) has no user: 403. */
    @GET
    @Path("/me/orders")
    public Response myOrders(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Optional<Response> denied = deny(authorization, "orders:read");
        if (denied.isPresent()) {
            return denied.get();
        }
        DemoTokens.Issued token = tokens.validate(authorization.substring(7).trim()).orElseThrow();
        Optional<DemoUsers.User> user = DemoUsers.byName(token.subject());
        if (user.isEmpty()) {
            return Response.status(Response.Status.FORBIDDEN).entity(Map.of("error", "no_user",
                    "message", "this API answers for a user: use a token from the authorization code grant")).build();
        }
        int k = user.get().username().length();
        Customer customer = new Customer(user.get().name(), user.get().email());
        List<Order> orders = List.of(
                new Order("ORD-" + user.get().username().toUpperCase() + "-1", clock.instant().minus(Duration.ofDays(3)),
                        "DELIVERED", customer, ADDRESSES.get(k % ADDRESSES.size()), List.of(PRODUCTS.get(k % PRODUCTS.size()))),
                new Order("ORD-" + user.get().username().toUpperCase() + "-2", clock.instant().minus(Duration.ofHours(5)),
                        "IN_TRANSIT", customer, ADDRESSES.get(k % ADDRESSES.size()),
                        List.of(PRODUCTS.get((k + 1) % PRODUCTS.size()), PRODUCTS.get((k + 2) % PRODUCTS.size()))));
        return Response.ok(new MyOrders(user.get().username(), user.get().name(), orders)).build();
    }

    @POST
    @Path("/shipments")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response book(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, NewShipment request) {
        Optional<Response> denied = deny(authorization, "shipments:write");
        if (denied.isPresent()) {
            return denied.get();
        }
        if (request == null || request.reference() == null || request.recipient() == null || request.address() == null) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(Map.of("error", "reference, recipient and address are required")).build();
        }
        long n = shipmentSequence.incrementAndGet();
        String service = request.service() == null ? "STANDARD" : request.service();
        Shipment shipment = new Shipment("SHP-" + String.format("%05d", n), request.reference(), "Desert Express",
                "DX" + String.format("%010d", 7_000_000_000L + n * 7919), service,
                request.parcels() == null ? 1 : request.parcels(), "IN_TRANSIT", clock.instant());
        synchronized (shipments) {
            shipments.addFirst(shipment);
            while (shipments.size() > SHIPMENTS_KEPT) {
                shipments.removeLast();
            }
        }
        stats.shipmentCreated();
        return Response.created(URI.create("/demo/api/shipments/" + shipment.id())).entity(shipment).build();
    }

    /** Shipments by status: IN_TRANSIT for 30 s after booking, then DELIVERED. */
    @GET
    @Path("/shipments")
    public Response shipments(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @QueryParam("status") String status) {
        Optional<Response> denied = deny(authorization, "shipments:read");
        if (denied.isPresent()) {
            return denied.get();
        }
        Instant deliveredBefore = clock.instant().minus(IN_TRANSIT_FOR);
        List<Shipment> all;
        synchronized (shipments) {
            all = shipments.stream().map(s -> s.createdAt().isBefore(deliveredBefore) ? withStatus(s, "DELIVERED") : s).toList();
        }
        stats.shipmentQueried();
        List<Shipment> selected = status == null ? all : all.stream().filter(s -> s.status().equals(status)).toList();
        return Response.ok(selected).header("X-Total-Count", selected.size()).build();
    }

    private static Shipment withStatus(Shipment s, String status) {
        return new Shipment(s.id(), s.reference(), s.carrier(), s.trackingNumber(), s.service(), s.parcels(), status,
                s.createdAt());
    }

    /**
     * RFC 6750 3.1: no token gives a bare challenge; an unknown or expired token gives invalid_token (the client should
     * get a new one and retry); a token without the scope gives 403 insufficient_scope.
     */
    private Optional<Response> deny(String authorization, String scope) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            stats.apiCallRejected();
            return Optional.of(Response.status(Response.Status.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"demo\"").build());
        }
        Optional<DemoTokens.Issued> token = tokens.validate(authorization.substring(7).trim());
        if (token.isEmpty()) {
            stats.apiCallRejected();
            return Optional.of(Response.status(Response.Status.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE,
                    "Bearer realm=\"demo\", error=\"invalid_token\", error_description=\"unknown or expired token\"").build());
        }
        if (!token.get().scopes().contains(scope)) {
            stats.apiCallRejected();
            return Optional.of(Response.status(Response.Status.FORBIDDEN).header(HttpHeaders.WWW_AUTHENTICATE,
                    "Bearer realm=\"demo\", error=\"insufficient_scope\", scope=\"" + scope + "\"").build());
        }
        stats.apiCallAccepted();
        return Optional.empty();
    }
}
