package com.cameloauth.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A CamelContext wired to the loopback servers, and one {@link Caller} per implementation. Every caller makes the same
 * call, {@code GET <api>/x} through camel-http with ProducerTemplate; only where the credential comes from differs.
 * camel-http keeps its defaults everywhere (pool of 20 connections per route), the oauth: component's private camel-http
 * too, so the comparison is like for like.
 */
final class CamelHarness implements AutoCloseable {

    /** Short key to label, in report order. */
    static final Map<String, String> LABELS = new LinkedHashMap<>();

    static {
        LABELS.put("plain", "camel-http, fixed Authorization header (baseline)");
        LABELS.put("plain-aa", "camel-http, fixed header, measured again (A/A control)");
        LABELS.put("oauth", "oauth: component (this project)");
        LABELS.put("engine", "this project's TokenManager + camel-http header");
        LABELS.put("camel-oauth2", "camel-http oauth2ClientId/... oauth2CacheTokens=true");
        LABELS.put("spring", "Spring Security 7.1 AuthorizedClientServiceOAuth2AuthorizedClientManager + camel-http");
        LABELS.put("hand", "hand-written cache (volatile token + synchronized refresh) + camel-http");
        LABELS.put("plain-string", "camel-http, fixed header, CamelHttpMethod as String \"GET\"");
        LABELS.put("oauth-string", "oauth: component, CamelHttpMethod as String \"GET\"");
        LABELS.put("quarkus-oidc", "Quarkus OIDC client (quarkus-oidc-client 3.31)");
    }

    /**
     * The CamelHttpMethod header value. camel-http reads it as its HttpMethods enum; given the String "GET", Camel 4.17
     * converts it on every call through a type-converter lookup that walks the whole converter registry (about two
     * thirds of the CPU of a call here, on every path alike). The enum by default, so that the figures show the cost of
     * the credential handling rather than that; {@code httpMethod=string} measures the String form.
     */
    static volatile Object methodHeader = HttpMethods.GET;

    /** One API call; throws when it failed. */
    interface Caller {
        void call() throws Exception;
    }

    final LoopbackServers.Handle servers;
    final DefaultCamelContext camel;
    final ProducerTemplate template;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /**
     * @param oauthConnections names of oauth: connections to define (client-credentials against the loopback servers)
     */
    CamelHarness(LoopbackServers.Handle servers, List<String> oauthConnections) {
        this.servers = servers;
        camel = new DefaultCamelContext();
        Properties p = new Properties();
        for (String name : oauthConnections) {
            p.putAll(TokenSources.connectionProperties(name, servers.apiBase(), servers.tokenUrl()));
        }
        camel.getPropertiesComponent().setInitialProperties(p);
        camel.start();
        template = camel.createProducerTemplate();
    }

    /** The caller of an implementation; {@code tag} keeps its token cache apart from other workloads'. */
    Caller caller(String impl, String tag) {
        return switch (impl) {
            case "plain" -> plain("Bearer fixed-token-for-the-baseline");
            case "oauth" -> oauth(tag);
            case "plain-string" -> plain("Bearer fixed-token-for-the-baseline", "GET");
            case "oauth-string" -> oauth(tag, "GET");
            case "engine" -> via(keep(new TokenSources.Engine(servers.apiBase(), servers.tokenUrl())));
            case "camel-oauth2" -> camelOAuth2(tag + "-camel");
            case "spring" -> via(new TokenSources.Spring(servers.tokenUrl(), List.of(tag + "-spring")).source(tag + "-spring"));
            case "hand" -> via(new TokenSources.HandWritten(TokenSources.HandWritten.newHttpClient(), servers.tokenUrl(),
                    tag + "-hand", "secret"));
            default -> throw new IllegalArgumentException("unknown implementation " + impl);
        };
    }

    /** The token alone, without the API call, for the implementations that expose it. */
    TokenSource tokenOnly(String impl, String tag) {
        return switch (impl) {
            case "engine", "oauth" -> keep(new TokenSources.Engine(servers.apiBase(), servers.tokenUrl()));
            case "spring" -> new TokenSources.Spring(servers.tokenUrl(), List.of(tag + "-spring")).source(tag + "-spring");
            case "hand" -> new TokenSources.HandWritten(TokenSources.HandWritten.newHttpClient(), servers.tokenUrl(),
                    tag + "-hand", "secret");
            default -> null;
        };
    }

    Caller plain(String header) {
        return plain(header, methodHeader);
    }

    Caller plain(String header, Object method) {
        return call(camel.getEndpoint(servers.apiBase() + "/x"), ex -> {
            ex.getMessage().setHeader(Exchange.HTTP_METHOD, method);
            ex.getMessage().setHeader("Authorization", header);
        });
    }

    Caller oauth(String connection) {
        return oauth(connection, methodHeader);
    }

    Caller oauth(String connection, Object method) {
        return call(camel.getEndpoint("oauth:" + connection + "/x"), ex -> ex.getMessage().setHeader(Exchange.HTTP_METHOD, method));
    }

    Caller via(TokenSource source) {
        return call(camel.getEndpoint(servers.apiBase() + "/x"), ex -> {
            ex.getMessage().setHeader(Exchange.HTTP_METHOD, methodHeader);
            ex.getMessage().setHeader("Authorization", source.authorizationHeader());
        });
    }

    Caller camelOAuth2(String clientId) {
        String uri = servers.apiBase() + "/x?oauth2ClientId=" + clientId + "&oauth2ClientSecret=secret"
                + "&oauth2TokenEndpoint=RAW(" + servers.tokenUrl() + ")&oauth2CacheTokens=true"
                // seconds; its default margin of 5 s would make the short test lifetimes look always expired
                + "&oauth2CachedTokensExpirationMarginSeconds=0";
        return call(camel.getEndpoint(uri), ex -> ex.getMessage().setHeader(Exchange.HTTP_METHOD, methodHeader));
    }

    private Caller call(Endpoint endpoint, Processor processor) {
        return () -> {
            Exchange ex = template.send(endpoint, processor);
            if (ex.getException() != null) {
                throw ex.getException();
            }
        };
    }

    private <T extends AutoCloseable> T keep(T c) {
        closeables.add(c);
        return c;
    }

    @Override
    public void close() {
        try {
            template.stop();
        } catch (RuntimeException ignored) {
            // closing anyway
        }
        try {
            camel.close();
        } catch (java.io.IOException | RuntimeException ignored) {
            // closing anyway
        }
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }
}
