package com.cameloauth.token.consent;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import com.cameloauth.connection.ClientAuthMethod;
import com.cameloauth.connection.Secret;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ParseException;

/** Clients and callbacks for the consent tests: a WireMock token endpoint, a loopback redirect URI. */
final class ConsentFixture {
    static final String CONNECTION = "crm";
    static final String ISSUER = "https://login.example.com/realms/crm";
    static final URI AUTHORIZATION_URL = URI.create("https://login.example.com/realms/crm/auth");
    static final URI REDIRECT_URI = URI.create("http://127.0.0.1:8765/oauth/callback");
    static final String TOKEN_PATH = "/token";
    static final String CLIENT_SECRET = "crm-secret-5d1e";

    private ConsentFixture() {
    }

    static ConsentClient publicClient(int tokenPort) {
        return ConsentClient.publicClient(CONNECTION, AUTHORIZATION_URL, tokenUrl(tokenPort), "crm-app", REDIRECT_URI,
                List.of("openid", "contacts.read"), Optional.of(ISSUER));
    }

    static ConsentClient confidentialClient(int tokenPort, ClientAuthMethod auth) {
        return new ConsentClient(CONNECTION, AUTHORIZATION_URL, tokenUrl(tokenPort), "crm-app",
                Optional.of(Secret.of(CLIENT_SECRET)), auth, REDIRECT_URI, List.of("contacts.read"), Optional.of(ISSUER));
    }

    static URI tokenUrl(int port) {
        return URI.create("http://127.0.0.1:" + port + TOKEN_PATH);
    }

    /** The parsed authorization request a begin() URL carries. */
    static AuthorizationRequest request(URI authorizationRequestUrl) {
        try {
            return AuthorizationRequest.parse(authorizationRequestUrl);
        } catch (ParseException e) {
            throw new AssertionError("not an authorization request: " + e.getMessage(), e);
        }
    }

    static String state(URI authorizationRequestUrl) {
        return request(authorizationRequestUrl).getState().getValue();
    }

    /** The callback the browser would bring: the redirect URI with these parameters (name, value, name, value...). */
    static URI callback(String... namesAndValues) {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            query.append(query.length() == 0 ? "" : "&").append(namesAndValues[i]).append('=')
                    .append(URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
        }
        return URI.create(REDIRECT_URI + (query.length() == 0 ? "" : "?" + query));
    }

    /** C12: none of these values may show in the exception's message or toString. */
    static void assertRevealsNone(Throwable e, String... nothingOf) {
        for (String value : nothingOf) {
            assertFalse(String.valueOf(e.getMessage()).contains(value), "the message repeats a protocol value");
            assertFalse(e.toString().contains(value), "toString repeats a protocol value");
        }
    }
}
