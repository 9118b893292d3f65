package com.cameloauth.quarkus.consent;

import static com.cameloauth.quarkus.consent.Html.escape;

import java.net.URI;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.quarkus.manage.ManagementGuard;
import com.cameloauth.token.OAuthConnections;

/**
 * {@code GET /oauth/consent/{connection}}: starts a consent for an {@code authorization-code} connection and sends the
 * browser to the authorization server (302; PKCE S256, a fresh single-use state, the configured redirect URI).
 * <p>
 * Role {@code oauth-admin} only: whoever signs in at the provider after this binds the connection to their account, so
 * letting anyone start a consent would let anyone hijack the connection. The started transaction is also bound to this
 * browser ({@link BrowserBinding}).
 */
@Path("/oauth/consent/{connection}")
@RolesAllowed(ManagementGuard.ROLE)
public class ConsentResource {
    private static final Logger LOG = Logger.getLogger(ConsentResource.class);
    private static final String TITLE = "OAuth consent";

    @Inject
    OAuthConnections connections;

    @Inject
    BrowserBinding binding;

    @GET
    public Response start(@PathParam("connection") String name) {
        Optional<ConnectionDefinition> definition = connections.definition(name);
        if (definition.isEmpty()) {
            return Html.response(404, TITLE, "<h1>Unknown connection</h1><p class=\"bad\">" + escape(connections.unknown(name))
                    + "</p>");
        }
        Optional<URI> redirectUri = ConsentCallback.redirectUri(definition.get());
        if (!connections.takesConsent(name) || redirectUri.isEmpty()) {
            return Html.response(409, TITLE, "<h1>No consent for this connection</h1><p class=\"bad\">Connection '"
                    + escape(name) + "' has policy " + escape(definition.get().policy().value()) + ", which takes no"
                    + " consent: only authorization-code connections do.</p>");
        }
        URI authorizationRequest = connections.beginConsent(name);
        String cookie = binding.bind(authorizationRequest, redirectUri.get());
        LOG.infof("oauth connection '%s': consent started; the browser goes to %s", name,
                authorizationRequest.getScheme() + "://" + authorizationRequest.getRawAuthority()
                        + authorizationRequest.getRawPath());
        return Response.status(Response.Status.FOUND).location(authorizationRequest).header("Set-Cookie", cookie)
                .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer").build();
    }
}
