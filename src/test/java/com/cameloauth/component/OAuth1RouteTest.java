package com.cameloauth.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.cameloauth.component.OAuth1VerifyingServer.Received;

/**
 * The {@code oauth1} policy through {@code oauth:} routes, against {@link OAuth1VerifyingServer}, which recomputes every
 * signature with its own implementation and answers 401 when one does not match.
 */
class OAuth1RouteTest {
    private static final String CONSUMER_SECRET = "cs-Qw8Zr-never-shown";
    private static final String TOKEN_SECRET = "ts-Vb3Np-never-shown";

    private OAuth1VerifyingServer api;
    private CamelContext camel;
    private ProducerTemplate template;
    private final Properties properties = new Properties();

    @BeforeEach
    void start() throws Exception {
        api = new OAuth1VerifyingServer(Map.of("ck-netsuite", CONSUMER_SECRET), Map.of("tk-netsuite", TOKEN_SECRET));
        camel = new DefaultCamelContext();
        connection("netsuite", "HMAC-SHA256", CONSUMER_SECRET);
        connection("legacy", "HMAC-SHA1", CONSUMER_SECRET);
        connection("tampered", "HMAC-SHA256", "cs-wrong");
        camel.getPropertiesComponent().setInitialProperties(properties);
        template = camel.createProducerTemplate();
    }

    private void connection(String name, String method, String consumerSecret) {
        String prefix = "oauth.connections." + name + ".";
        properties.setProperty(prefix + "policy", "oauth1");
        properties.setProperty(prefix + "base-url", api.baseUrl() + "/services/rest");
        properties.setProperty(prefix + "allow-insecure", "true");
        properties.setProperty(prefix + "realm", "1234567_SB1");
        properties.setProperty(prefix + "consumer-key", "ck-netsuite");
        properties.setProperty(prefix + "consumer-secret", consumerSecret);
        properties.setProperty(prefix + "token-id", "tk-netsuite");
        properties.setProperty(prefix + "token-secret", TOKEN_SECRET);
        properties.setProperty(prefix + "signature-method", method);
    }

    @AfterEach
    void stop() {
        camel.stop();
        api.close();
    }

    private Exchange get(String uri, String path, String query) {
        return template.request(uri, e -> {
            e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
            if (path != null) {
                e.getMessage().setHeader(Exchange.HTTP_PATH, path);
            }
            e.getMessage().setHeader(Exchange.HTTP_QUERY, query);
        });
    }

    @Test
    void getWithQueryIsSignedAndAcceptedByAnIndependentVerifier() {
        camel.start();

        Exchange answer = get("oauth:netsuite/record/v1", "customer", "q=ACME%20%26%20Sons&limit=5&star=*&tilde=a~b&sp=a+b");

        assertNull(answer.getException(), () -> String.valueOf(api.received()));
        assertEquals(200, answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
        Received r = api.received().get(0);
        assertEquals(200, r.status(), r.reason());
        assertEquals("/services/rest/record/v1/customer", r.uri().getPath());
        assertEquals("HMAC-SHA256", r.oauth().get("oauth_signature_method"));
        assertEquals("1234567_SB1", r.oauth().get("realm"));
        assertNoCredential(answer);
    }

    @Test
    void postWithFormBodyAndQueryIsSignedOverBoth() {
        camel.start();

        Exchange answer = template.request("oauth:netsuite/record/v1/customer", e -> {
            e.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
            e.getMessage().setHeader(Exchange.HTTP_QUERY, "mode=upsert");
            e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/x-www-form-urlencoded");
            e.getMessage().setBody("name=ACME+%26+Sons&tag=b&tag=a&note=%7E%2A");
        });

        assertNull(answer.getException(), () -> String.valueOf(api.received()));
        Received r = api.received().get(0);
        assertEquals("POST", r.method());
        assertEquals(200, r.status(), r.reason());
        assertEquals("name=ACME+%26+Sons&tag=b&tag=a&note=%7E%2A", r.body(), "the body goes out as given");
        assertNoCredential(answer);
    }

    @Test
    void jsonBodyIsNotPartOfTheSignature() {
        // RFC 5849 3.4.1.3: only an application/x-www-form-urlencoded body contributes parameters; a JSON body that
        // happens to look like one must not
        camel.start();

        Exchange json = template.request("oauth:netsuite/record/v1/customer", e -> {
            e.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
            e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
            e.getMessage().setBody("a=b&c=d");
        });

        assertNull(json.getException(), () -> String.valueOf(api.received()));
        assertEquals(200, api.received().get(0).status(), api.received().get(0).reason());
    }

    @Test
    void hmacSha1ConnectionIsAcceptedToo() {
        camel.start();

        Exchange answer = get("oauth:legacy/record/v1/customer", null, "limit=1");

        assertNull(answer.getException(), () -> String.valueOf(api.received()));
        assertEquals("HMAC-SHA1", api.received().get(0).oauth().get("oauth_signature_method"));
    }

    @Test
    void everyCallGetsAFreshNonceAndSignature() {
        camel.start();

        get("oauth:netsuite/record/v1/customer", null, "limit=5");
        get("oauth:netsuite/record/v1/customer", null, "limit=5");

        assertEquals(2, api.received().size());
        Received first = api.received().get(0);
        Received second = api.received().get(1);
        assertEquals(200, second.status(), "the same request twice is accepted: a new nonce, not a replay");
        assertNotEquals(first.oauth().get("oauth_nonce"), second.oauth().get("oauth_nonce"));
        assertNotEquals(first.oauth().get("oauth_signature"), second.oauth().get("oauth_signature"));
    }

    @Test
    void wrongSecretGivesOne401AndNoReplayLoop() {
        camel.start();

        Exchange answer = get("oauth:tampered/record/v1/customer", null, "limit=5");

        HttpOperationFailedException failure = assertInstanceOf(HttpOperationFailedException.class, answer.getException());
        assertEquals(401, failure.getStatusCode());
        assertEquals(1, api.received().size(), "a signature cannot be fixed by asking again: no replay");
        assertEquals("invalid signature", api.received().get(0).reason());
        assertFalse(failure.getMessage().contains("cs-wrong") || failure.getMessage().contains(TOKEN_SECRET),
                failure.getMessage());
        assertNull(answer.getMessage().getHeader(OAuthConstants.REPLAYED));
        assertNoCredential(answer);
    }

    @Test
    void theReadmeExampleRuns() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## OAuth 1.0a signatures"));
        // the placeholders stand for environment variables, which a test cannot set: put the values in their place
        String props = block(section, "```properties\n").replace("${NETSUITE_CONSUMER_KEY}", "ck-netsuite")
                .replace("${NETSUITE_CONSUMER_SECRET}", CONSUMER_SECRET).replace("${NETSUITE_TOKEN_ID}", "tk-netsuite")
                .replace("${NETSUITE_TOKEN_SECRET}", TOKEN_SECRET);
        String yaml = block(section, "```yaml\n");
        Properties p = new Properties();
        p.load(new java.io.StringReader(props));
        assertEquals("oauth1", p.getProperty("oauth.connections.netsuite.policy"));
        p.setProperty("oauth.connections.netsuite.base-url", api.baseUrl() + "/services/rest");
        p.setProperty("oauth.connections.netsuite.allow-insecure", "true");
        camel.stop();
        camel = new DefaultCamelContext();
        camel.getPropertiesComponent().setInitialProperties(p);
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("netsuite.yaml", yaml));

        camel.start();

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> !api.received().isEmpty());
        Received r = api.received().get(0);
        assertEquals(200, r.status(), r.reason());
        assertEquals("/services/rest/record/v1/customer", r.uri().getPath());
        assertEquals("limit=5", r.uri().getRawQuery());
        assertEquals("1234567_SB1", r.oauth().get("realm"));
        assertEquals("HMAC-SHA256", r.oauth().get("oauth_signature_method"), "the documented default");
    }

    private static String block(String text, String opening) {
        int start = text.indexOf(opening) + opening.length();
        return text.substring(start, text.indexOf("```", start));
    }

    private static void assertNoCredential(Exchange exchange) {
        assertNull(exchange.getIn().getHeader("Authorization"), "signature left on getIn()");
        assertNull(exchange.getMessage().getHeader("Authorization"), "signature left on getMessage()");
    }
}
