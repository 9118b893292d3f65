package com.cameloauth.quarkus;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /}: where to look next, instead of a 404 (the connections page, health, metrics). */
@Path("/")
public class AppIndex {

    private static final String PAGE = """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Camel OAuth Connections</title></head>
            <body>
            <h1>Camel OAuth Connections</h1>
            <ul>
              <li><a href="/oauth/ui/">Connections</a>: state, expiry and recent events of every connection; Test, Refresh, Revoke
                  (when the management page is enabled: in dev and test, or with oauth-management.enabled=true)</li>
              <li><a href="/q/health">Health</a>: one check per connection</li>
              <li><a href="/q/metrics">Metrics</a>: token events, seconds to expiry, connection up</li>
            </ul>
            </body>
            </html>
            """;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public String index() {
        return PAGE;
    }
}
