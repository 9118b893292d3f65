package com.cameloauth.quarkus.demo;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.arc.profile.IfBuildProfile;

/** {@code GET /demo/stats}: what the demo servers saw, for tests and the curious. Dev and test builds only. */
@ApplicationScoped
@Path("/demo/stats")
@IfBuildProfile(anyOf = { "dev", "test" })
public class DemoStats {
    private final AtomicLong tokensIssued = new AtomicLong();
    private final AtomicLong authorizationCodeRequests = new AtomicLong();
    private final AtomicLong refreshTokenRequests = new AtomicLong();
    private final AtomicLong tokenRequestsRejected = new AtomicLong();
    private final AtomicLong apiCallsAccepted = new AtomicLong();
    private final AtomicLong apiCallsRejected = new AtomicLong();
    private final AtomicLong shipmentsCreated = new AtomicLong();
    private final AtomicLong shipmentQueries = new AtomicLong();

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Long> stats() {
        return Map.of("tokensIssued", tokensIssued.get(), "tokenRequestsRejected", tokenRequestsRejected.get(),
                "apiCallsAccepted", apiCallsAccepted.get(), "apiCallsRejected", apiCallsRejected.get(),
                "shipmentsCreated", shipmentsCreated.get(), "shipmentQueries", shipmentQueries.get(),
                "authorizationCodeRequests", authorizationCodeRequests.get(),
                "refreshTokenRequests", refreshTokenRequests.get());
    }

    /** Every request at the token endpoint, counted by grant before anything is checked. */
    void tokenRequested(String grantType) {
        if ("authorization_code".equals(grantType)) {
            authorizationCodeRequests.incrementAndGet();
        } else if ("refresh_token".equals(grantType)) {
            refreshTokenRequests.incrementAndGet();
        }
    }

    void tokenIssued() {
        tokensIssued.incrementAndGet();
    }

    void tokenRequestRejected() {
        tokenRequestsRejected.incrementAndGet();
    }

    void apiCallAccepted() {
        apiCallsAccepted.incrementAndGet();
    }

    void apiCallRejected() {
        apiCallsRejected.incrementAndGet();
    }

    void shipmentCreated() {
        shipmentsCreated.incrementAndGet();
    }

    void shipmentQueried() {
        shipmentQueries.incrementAndGet();
    }
}
