package com.cameloauth.quarkus.manage;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.cameloauth.manage.ConnectionRegistry;
import com.cameloauth.manage.ConnectionView;
import com.cameloauth.manage.EventTimeline;
import com.cameloauth.manage.EventView;
import com.cameloauth.observe.ApiCallHistory;
import com.cameloauth.observe.RecentEvents;
import com.cameloauth.token.OAuthConnections;

/**
 * The management API: connections with state, expiry, last error and counts; recent events; Test, Refresh and Revoke.
 * Role {@code oauth-admin}; POSTs also pass {@link ManagementGuard} (same origin and CSRF token). Never a secret or token.
 */
@Path("/oauth/api/connections")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(ManagementGuard.ROLE)
public class ManagementResource {

    @Inject
    ConnectionRegistry registry;

    @Inject
    OAuthConnections connections;

    @Inject
    RecentEvents recentEvents;

    @Inject
    ApiCallHistory calls;

    @GET
    public List<ConnectionView> list() {
        return registry.list();
    }

    @GET
    @Path("/{name}")
    public Response get(@PathParam("name") String name) {
        return found(name, registry.view(name));
    }

    @GET
    @Path("/{name}/events")
    public Response events(@PathParam("name") String name) {
        Optional<List<EventView>> events = registry.events(name);
        return found(name, events);
    }

    @GET
    @Path("/{name}/timeline.svg")
    @Produces("image/svg+xml")
    public Response timeline(@PathParam("name") String name) {
        // token events from the registry's buffer, API call outcomes from the history the producers feed
        return connections.definition(name)
                .map(d -> EventTimeline.render(recentEvents.recent(name), calls.lastHour(name), calls.now(), ApiCallHistory.WINDOW))
                .map(svg -> Response.ok(svg, "image/svg+xml").header("Cache-Control", "no-store").build())
                .orElseGet(() -> notFound(name));
    }

    @POST
    @Path("/{name}/test")
    public Response test(@PathParam("name") String name) {
        return found(name, registry.test(name));
    }

    @POST
    @Path("/{name}/refresh")
    public Response refresh(@PathParam("name") String name) {
        return found(name, registry.refresh(name));
    }

    @POST
    @Path("/{name}/revoke")
    public Response revoke(@PathParam("name") String name) {
        return found(name, registry.revoke(name));
    }

    private Response found(String name, Optional<?> body) {
        return body.<Response>map(b -> Response.ok(b).header("Cache-Control", "no-store").build())
                .orElseGet(() -> notFound(name));
    }

    private Response notFound(String name) {
        return Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", "unknown_connection", "connection", name, "message", connections.unknown(name)))
                .build();
    }
}
