package com.cameloauth.component;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The last check before camel-http sends: the URL it built must be on the connection's API, below its base path. */
class RequestTargetGuardTest {
    private final RequestTargetGuard guard = new RequestTargetGuard("orders", URI.create("https://api.example.com/orders/v1/"));
    private final Exchange exchange = new DefaultExchange(new DefaultCamelContext());

    @ParameterizedTest
    @ValueSource(strings = { "https://api.example.com/orders/v1", "https://api.example.com/orders/v1/", "https://API.example.com:443/orders/v1/42",
            "https://api.example.com/orders/v1/a%20b?x=1", "https://api.example.com/orders/v1/..x/.y/%2e.z" })
    void urlBelowTheBasePathIsSent(String url) {
        assertDoesNotThrow(() -> guard.checkUrl(exchange, url, Exchange.HTTP_PATH));
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://api.example.com/orders/v1/42", "https://evil.example.com/orders/v1/42",
            "https://api.example.com:8443/orders/v1/42", "https://user@api.example.com/orders/v1/42",
            "https://api.example.com/orders/v10", "https://api.example.com/orders/v1x/42", "https://api.example.com/admin",
            "https://api.example.com/orders/v1/../../admin", "https://api.example.com/orders/v1/%2e%2e/x",
            "https://api.example.com/orders/v1/%252E%252E/x", "https://api.example.com/orders/v1/..%5Cx", "not a url",
            "/orders/v1/relative" })
    void urlElsewhereIsRefusedNamingTheConnectionAndHeader(String url) {
        RequestTargetRefusedException e = assertThrows(RequestTargetRefusedException.class,
                () -> guard.checkUrl(exchange, url, Exchange.HTTP_PATH));
        assertTrue(e.getMessage().startsWith("OAuth connection 'orders': header CamelHttpPath "), e.getMessage());
        assertEquals("orders", e.getConnection());
    }

    @Test
    void rootBaseUrlTakesAnyPathWithoutDotDot() {
        RequestTargetGuard root = new RequestTargetGuard("root", URI.create("http://127.0.0.1:9"));
        assertDoesNotThrow(() -> root.checkUrl(exchange, "http://127.0.0.1:9/anything/below", Exchange.HTTP_PATH));
        assertThrows(RequestTargetRefusedException.class, () -> root.checkUrl(exchange, "http://127.0.0.1:9/a/../..", Exchange.HTTP_PATH));
        assertThrows(RequestTargetRefusedException.class, () -> root.checkUrl(exchange, "http://127.0.0.1:80/a", Exchange.HTTP_PATH));
    }

    @Test
    void decodingSettlesOrGivesUp() {
        assertEquals("..", RequestTargetGuard.decodeFully("%25252e%25252e"));
        assertEquals("50%off", RequestTargetGuard.decodeFully("50%25off"));
        assertEquals("%zz", RequestTargetGuard.decodeFully("%zz"));
        assertNull(RequestTargetGuard.decodeFully("%c0%ae"), "overlong UTF-8 for '.' is not text");
        assertNull(RequestTargetGuard.problemIn("orders/42;v=1/..x"));
    }
}
