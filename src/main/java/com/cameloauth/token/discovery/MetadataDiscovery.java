package com.cameloauth.token.discovery;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.cameloauth.connection.ConnectionDefinition.HttpTimeouts;
import com.cameloauth.token.OAuthTokenException;
import com.cameloauth.token.TokenEndpointUnavailableException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPRequest;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPResponse;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;

import net.minidev.json.JSONObject;

/**
 * Reads an issuer's metadata (OpenID Connect Discovery, then RFC 8414) through the engine's bounded sender: no
 * redirect is followed, the body is capped and the exchange has a deadline. The metadata is refused unless its
 * {@code issuer} equals the configured one exactly and every endpoint in it is https (http only when the configured
 * issuer is http, which configuration allows only with allow-insecure). Metadata is read once per connection and kept;
 * after a failure the next use reads it again, but not before the retry interval has passed (callers fail fast
 * meanwhile with the failure), so a broken server is not hammered.
 */
public final class MetadataDiscovery {
    private static final int MAX_SHOWN = 200;

    /** Sends one request and reads the whole answer within the deadline (the engine's bounded sender). */
    @FunctionalInterface
    public interface Transport {
        ReadOnlyHTTPResponse send(ReadOnlyHTTPRequest request, Duration deadline) throws IOException;
    }

    private record Entry(ServerMetadata metadata, OAuthTokenException failure, Instant failedAt) {
    }

    private final Transport transport;
    private final Clock clock;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public MetadataDiscovery(Transport transport, Clock clock) {
        this.transport = transport;
        this.clock = clock;
    }

    /**
     * The checked metadata of {@code issuer} for a connection: the kept one, or read now. Throws
     * {@link DiscoveryException} when the metadata is unusable (issuer mismatch, http endpoint, not metadata) and
     * {@link TokenEndpointUnavailableException} when it could not be read; the same failure again, without a request,
     * until {@code retryInterval} has passed.
     */
    public ServerMetadata metadata(String connection, URI issuer, HttpTimeouts timeouts, Duration retryInterval) {
        Entry kept = cache.get(connection);
        if (kept != null && kept.metadata() != null) {
            return kept.metadata();
        }
        synchronized (locks.computeIfAbsent(connection, k -> new Object())) {
            kept = cache.get(connection);
            if (kept != null && kept.metadata() != null) {
                return kept.metadata();
            }
            if (kept != null && clock.instant().isBefore(kept.failedAt().plus(retryInterval))) {
                throw kept.failure();
            }
            try {
                ServerMetadata metadata = fetch(connection, issuer, timeouts);
                cache.put(connection, new Entry(metadata, null, null));
                return metadata;
            } catch (OAuthTokenException e) {
                cache.put(connection, new Entry(null, e, clock.instant()));
                throw e;
            }
        }
    }

    /** The kept metadata of a connection, if it was read successfully; never reads. */
    public Optional<ServerMetadata> cached(String connection) {
        Entry kept = cache.get(connection);
        return kept == null ? Optional.empty() : Optional.ofNullable(kept.metadata());
    }

    private ServerMetadata fetch(String connection, URI issuer, HttpTimeouts timeouts) {
        List<String> tried = new ArrayList<>();
        for (URI url : WellKnownUrls.of(issuer)) {
            ReadOnlyHTTPResponse response = get(connection, url, timeouts);
            int status = response.getStatusCode();
            if (status == 404 || status == 410) {
                tried.add(shown(url));
                continue;
            }
            return read(connection, issuer, url, response);
        }
        throw new DiscoveryException(connection, "the issuer serves no metadata (HTTP 404 at " + String.join(" and ",
                tried) + "); check the key issuer, or configure token-url (and the other endpoints) instead", 404);
    }

    private ReadOnlyHTTPResponse get(String connection, URI url, HttpTimeouts timeouts) {
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.GET, url);
        request.setAccept("application/json");
        request.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeouts.connect().toMillis()));
        request.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeouts.read().toMillis()));
        request.setFollowRedirects(false);
        try {
            return transport.send(request, timeouts.request());
        } catch (IOException e) {
            throw new TokenEndpointUnavailableException(connection, "cannot read the issuer's metadata from "
                    + shown(url) + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + clean(e.getMessage()) + ")"), 0, null, e);
        }
    }

    private ServerMetadata read(String connection, URI issuer, URI url, ReadOnlyHTTPResponse response) {
        int status = response.getStatusCode();
        if (status >= 300 && status < 400) {
            throw new DiscoveryException(connection, "the metadata URL " + shown(url) + " answered with a redirect,"
                    + " which is never followed; check the key issuer", status);
        }
        if (status >= 500 || status == 429 || status == 408) {
            throw new TokenEndpointUnavailableException(connection, "the issuer's metadata at " + shown(url)
                    + " is unavailable", status, null, null);
        }
        if (status != 200) {
            throw new DiscoveryException(connection, "the metadata URL " + shown(url) + " answered HTTP " + status
                    + "; check the key issuer", status);
        }
        JSONObject json;
        try {
            json = JSONObjectUtils.parse(response.getBody() == null ? "" : response.getBody());
        } catch (ParseException e) {
            throw new DiscoveryException(connection, "the metadata at " + shown(url) + " is not a JSON object", status);
        }
        Object announced = json.get("issuer");
        if (!(announced instanceof String announcedIssuer) || !announcedIssuer.equals(issuer.toString())) {
            throw new DiscoveryException(connection, "the metadata at " + shown(url) + " names the issuer '"
                    + (announced instanceof String s ? clean(s) : String.valueOf(announced == null ? "(none)" : "(not a string)"))
                    + "', but the key issuer is '" + issuer + "': they must be equal exactly (RFC 8414 3.3, no"
                    + " trailing slash added or removed); fix the key issuer", status);
        }
        AuthorizationServerMetadata parsed;
        try {
            parsed = AuthorizationServerMetadata.parse(json);
        } catch (ParseException | RuntimeException e) {
            throw new DiscoveryException(connection, "the metadata at " + shown(url) + " is malformed: "
                    + clean(e.getMessage()), status);
        }
        boolean insecureAllowed = "http".equalsIgnoreCase(issuer.getScheme());
        return new ServerMetadata(issuer,
                endpoint(connection, "token_endpoint", parsed.getTokenEndpointURI(), insecureAllowed),
                endpoint(connection, "authorization_endpoint", parsed.getAuthorizationEndpointURI(), insecureAllowed),
                endpoint(connection, "revocation_endpoint", parsed.getRevocationEndpointURI(), insecureAllowed),
                endpoint(connection, "introspection_endpoint", parsed.getIntrospectionEndpointURI(), insecureAllowed));
    }

    /** An endpoint from the metadata: absolute https (http only next to an http issuer), without user info. */
    private static Optional<URI> endpoint(String connection, String field, URI uri, boolean insecureAllowed) {
        if (uri == null) {
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        boolean ok = scheme.equals("https") || scheme.equals("http") && insecureAllowed;
        if (!ok || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new DiscoveryException(connection, "the issuer's metadata has a " + field + " that is not an https://"
                    + " URL without user info or fragment ('" + shown(uri) + "'); it is refused (SECURITY.md C10)", 0);
        }
        return Optional.of(uri);
    }

    /** scheme://authority/path: no user info, query or fragment, which may hold credentials. */
    static String shown(URI url) {
        String host = url.getHost() == null ? "" : url.getHost();
        String port = url.getPort() < 0 ? "" : ":" + url.getPort();
        return clean(url.getScheme() + "://" + host + port + (url.getRawPath() == null ? "" : url.getRawPath()));
    }

    /** Server text: no control characters, short. */
    private static String clean(String text) {
        if (text == null) {
            return "";
        }
        String c = text.replaceAll("\\p{Cntrl}", " ");
        return c.length() > MAX_SHOWN ? c.substring(0, MAX_SHOWN) + "..." : c;
    }
}
