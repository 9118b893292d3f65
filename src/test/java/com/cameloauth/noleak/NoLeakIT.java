package com.cameloauth.noleak;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import jakarta.inject.Inject;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.cameloauth.observe.AuditLog;
import com.cameloauth.quarkus.manage.ManagementGuard;
import com.cameloauth.testsupport.browser.HeadlessChromium;
import com.cameloauth.testsupport.keycloak.KeycloakServer;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.Token;
import com.cameloauth.token.TokenEvent;
import com.cameloauth.token.TokenEventListener;

import com.nimbusds.oauth2.sdk.util.URLUtils;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The whole app against a real Keycloak, then a search of everything an operator or a log collector sees (the log
 * file, the audit trail, events, exceptions, every management API answer, the timeline SVGs, metrics, health and the
 * page) for every secret and every token Keycloak issued during the run, as {@link RecordingGateway} saw them on the
 * wire. {@code noleak-consent} gets a real consent first: the connections page in headless Chromium, Provide Consent,
 * alice at Keycloak's login page, the app's callback page; its authorization code, PKCE verifier and state are looked
 * for too, and the pages Chromium showed are among the texts searched.
 */
@QuarkusTest
@TestProfile(NoLeakProfile.class)
class NoLeakIT {
    private static final String API = "/oauth/api/connections";
    private static final String ADMIN_PASSWORD = "admin-demo";
    private static final List<String> CONNECTIONS = List.of("noleak-basic", "noleak-post", "noleak-replay",
            "noleak-password", "noleak-wrong", "noleak-consent");
    private static final String CONSENT = "noleak-consent";

    @Inject
    ProducerTemplate template;

    @Inject
    OAuthConnections connections;

    @ConfigProperty(name = "noleak.gateway-url")
    String gatewayUrl;

    @ConfigProperty(name = "noleak.secrets")
    List<String> randomSecrets;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    private final LeakScanner scanner = new LeakScanner();
    private final List<String> cachedTokens = new ArrayList<>();
    /** The consent's authorization code and state, as the callback URL carried them. */
    private final Map<String, String> consent = new LinkedHashMap<>();

    @Test
    void noSecretOrTokenAppearsInLogsEventsMetricsHealthOrManagementAnswers() throws IOException {
        Queue<String> events = new ConcurrentLinkedQueue<>();
        TokenEventListener listener = e -> events.add(e + "\n" + AuditLog.toJson(e));
        connections.addListener(listener);
        try {
            driveCallsAndActions();
        } finally {
            connections.removeListener(listener);
        }
        String plant = System.getProperty("noleak.plant", "");
        if (plant.equals("true")) {
            // -Dnoleak.plant=true proves the whole capture can fail: one real token through the app's logging
            org.jboss.logging.Logger.getLogger("com.cameloauth.noleak").info("planted " + cachedTokens.get(cachedTokens.size() - 1));
        } else if (plant.equals("code")) {
            // -Dnoleak.plant=code: the consent's authorization code, cut short, as a careless log line would show it
            String code = consent.get("consent authorization code");
            org.jboss.logging.Logger.getLogger("com.cameloauth.noleak").info("planted code " + code.substring(0, code.length() / 2));
        }
        collectManagementAnswers();
        collectMetricsHealthAndPage();
        events.forEach(e -> scanner.text("token events", e));
        await().atMost(Duration.ofSeconds(20)).until(() -> read(Path.of("target/oauth-audit.jsonl")).contains("\"noleak-wrong\""));
        scanner.text("target/oauth-audit.jsonl", read(Path.of("target/oauth-audit.jsonl")));
        scanner.text("target/quarkus-test.log", read(Path.of("target/quarkus-test.log")));
        assertTrue(scanner.texts().get("target/quarkus-test.log").contains("noleak-replay"), "the log file has this run's lines");

        int tokens = collectSecrets();
        assertTrue(tokens >= 8, "tokens issued by Keycloak and seen at the gateway: " + tokens);
        List<String> findings = scanner.findings();
        System.out.printf("[noleak] %d tokens issued by Keycloak, %d values looked for in %d texts (%d characters)%n", tokens,
                scanner.secrets(), scanner.texts().size(), scanner.texts().values().stream().mapToInt(String::length).sum());
        assertEquals(List.of(), findings, "secrets or tokens in what an operator sees (" + scanner.secrets()
                + " values looked for in " + scanner.texts().keySet() + ")");
    }

    private void driveCallsAndActions() {
        giveConsentInChromium();
        assertEquals(200, call(CONSENT, "/consented"), "the consented connection calls the API as alice");
        assertEquals(200, call("noleak-basic", "/users"));
        assertEquals(200, call("noleak-post", "/orders"));
        assertEquals(200, call("noleak-replay", "/replay"), "the stub's 401 was answered by a new token and a replay");
        assertEquals(200, call("noleak-password", "/me"));
        Exchange failed = send("noleak-wrong", "/orders");
        assertNotNull(failed.getException(), "Keycloak refuses the wrong secret");
        StringWriter trace = new StringWriter();
        failed.getException().printStackTrace(new PrintWriter(trace));
        scanner.text("exception of the failed call", failed.getException() + "\n" + trace);
        keepCachedTokens();

        String csrf = given().auth().preemptive().basic("admin", ADMIN_PASSWORD).get(API).then().statusCode(200)
                .extract().cookie(ManagementGuard.CSRF_COOKIE);
        for (String name : CONNECTIONS) {
            for (String action : List.of("test", "refresh")) {
                keep("POST " + action + " " + name, post(csrf).post(API + "/" + name + "/" + action));
                keepCachedTokens();
            }
        }
        // a second round of calls with the refreshed tokens, then revoke
        assertEquals(200, call("noleak-post", "/orders"));
        assertEquals(200, call("noleak-password", "/me"));
        assertEquals(200, call(CONSENT, "/consented"), "the refreshed consent still calls the API");
        keepCachedTokens();
        for (String name : CONNECTIONS) {
            keep("POST revoke " + name, post(csrf).post(API + "/" + name + "/revoke"));
        }
        assertTrue(scanner.texts().get("POST revoke " + CONSENT).contains("NEEDS_CONSENT"),
                "the revoked consent needs a new one");
    }

    /**
     * The connections page as an admin sees it, Provide Consent, alice at Keycloak's login form, the callback page, the
     * page again: every page Chromium showed is kept for the scan; the code and state of the callback URL are kept as
     * values to look for.
     */
    private void giveConsentInChromium() {
        String app = "http://127.0.0.1:" + port;
        By card = By.cssSelector("section.conn[data-name='" + CONSENT + "']");
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            WebDriver driver = chromium.driver();
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
            driver.get(app + "/oauth/ui/");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("j_username"))).sendKeys("admin");
            driver.findElement(By.id("j_password")).sendKeys(ADMIN_PASSWORD);
            driver.findElement(By.id("sign-in")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(card));
            wait.until(d -> "NEEDS_CONSENT".equals(d.findElement(card).getDomAttribute("data-state")));
            scanner.text("Chromium: connections page before consent", driver.getPageSource());

            driver.findElement(card).findElement(By.className("consent")).click();
            wait.until(ExpectedConditions.elementToBeClickable(By.id("kc-login")));
            String authorization = driver.getCurrentUrl();
            // what alice sees there; not its HTML, whose base64 client_data shares 12-character pieces with JWT
            // payloads by construction (base64 of the same JSON words): Keycloak's markup, not this app's output
            scanner.text("Chromium: Keycloak login page", driver.findElement(By.tagName("body")).getText());
            driver.findElement(By.id("username")).sendKeys(KeycloakServer.USER_USERNAME);
            driver.findElement(By.id("password")).sendKeys(KeycloakServer.USER_PASSWORD);
            driver.findElement(By.id("kc-login")).click();

            WebElement outcome = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("outcome")));
            URI callback = URI.create(driver.getCurrentUrl());
            assertTrue(callback.toString().startsWith(app + "/oauth/callback?"), callback.toString());
            assertTrue(outcome.getText().startsWith("Consent given"), outcome.getText());
            Map<String, List<String>> params = URLUtils.parseParameters(callback.getRawQuery());
            consent.put("consent authorization code", params.get("code").get(0));
            consent.put("consent state", params.get("state").get(0));
            // Keycloak shows its login form at the authorization request's own URL: the state the app sent
            Map<String, List<String>> request = URLUtils.parseParameters(URI.create(authorization).getRawQuery());
            if (request.containsKey("state")) {
                assertEquals(request.get("state"), params.get("state"), "the state of the authorization URL comes back");
            }
            scanner.text("Chromium: callback page", driver.getPageSource());

            driver.findElement(By.linkText("Back to the connections page")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(card));
            wait.until(d -> "ACTIVE".equals(d.findElement(card).getDomAttribute("data-state")));
            scanner.text("Chromium: connections page after consent", driver.getPageSource());

            // the callback replayed with the browser's cookies (a reload, a shared link): refused, saying nothing secret
            RequestSpecification replay = given().urlEncodingEnabled(false).redirects().follow(false);
            driver.manage().getCookies().forEach(c -> replay.cookie(c.getName(), c.getValue()));
            keep("GET callback replayed", replay.get(callback.getRawPath() + "?" + callback.getRawQuery()))
                    .then().statusCode(400);
        }
        assertEquals("ACTIVE", admin().get(API + "/" + CONSENT).then().statusCode(200).extract().path("state"));
    }

    private void collectManagementAnswers() {
        keep("GET list", admin().get(API)).then().statusCode(200);
        for (String name : CONNECTIONS) {
            keep("GET " + name, admin().get(API + "/" + name)).then().statusCode(200);
            keep("GET events " + name, admin().get(API + "/" + name + "/events")).then().statusCode(200);
            keep("GET timeline " + name, admin().get(API + "/" + name + "/timeline.svg")).then().statusCode(200);
        }
        assertTrue(scanner.texts().get("GET events noleak-replay").contains("REPLAYED"), "the replay is an event");
        assertTrue(scanner.texts().get("GET noleak-wrong").contains("FAILED"), "the wrong secret left the connection FAILED");
        assertTrue(scanner.texts().get("GET timeline noleak-replay").contains("data-outcome=\"4xx\""),
                "the timeline shows the 401 before the replay");
    }

    private void collectMetricsHealthAndPage() {
        String metrics = keep("GET /q/metrics", given().get("/q/metrics")).then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("oauth_api_calls_total{connection=\"noleak-replay\",status_class=\"4xx\"} 1.0"),
                "the 401 before the replay is counted");
        assertTrue(metrics.contains("oauth_api_replays_total{connection=\"noleak-replay\"} 1.0"), "the replay is counted");
        assertTrue(metrics.contains("connection=\"noleak-wrong\""), "the failed connection has metrics");
        keep("GET /q/health", given().get("/q/health"));
        keep("GET /q/health/ready", given().get("/q/health/ready"));
        keep("GET /q/health/live", given().get("/q/health/live"));
        for (String page : List.of("/oauth/ui/", "/oauth/ui/app.js", "/oauth/ui/login.html")) {
            keep("GET " + page, admin().get(page)).then().statusCode(200);
        }
    }

    /** Every value to look for; returns how many tokens Keycloak issued during the run. */
    private int collectSecrets() {
        String captured = given().baseUri(gatewayUrl).port(-1).get("/_captured").then().statusCode(200).extract().asString();
        int issued = 0;
        for (String line : captured.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab < 0) {
                continue;
            }
            String label = line.substring(0, tab);
            String value = line.substring(tab + 1);
            if (label.startsWith("issued ")) {
                issued++;
            }
            if (label.startsWith("sent client_secret") || label.startsWith("sent basic") || label.equals("sent password")) {
                scanner.secret(label, value); // configured secrets: whole value (they share words with client ids)
            } else {
                scanner.unique(label, value);
            }
        }
        assertTrue(captured.contains("issued refresh_token"), "the password grant brought refresh tokens");
        assertTrue(captured.contains("api authorization"), "the stub API saw bearer tokens");
        assertTrue(captured.contains("sent code\t") && captured.contains("sent code_verifier\t"),
                "the consent's code and PKCE verifier went to Keycloak through the gateway");
        assertEquals(2, consent.size(), "the callback URL brought a code and a state");
        consent.forEach(scanner::unique);
        cachedTokens.forEach(t -> scanner.unique("cached access token", t));
        randomSecrets.forEach(s -> scanner.unique("configured random secret", s));
        scanner.secret("orders-service client secret", KeycloakServer.ORDERS_CLIENT_SECRET);
        scanner.secret("alice's password", KeycloakServer.USER_PASSWORD);
        scanner.secret("Keycloak admin password", KeycloakServer.ADMIN_PASSWORD);
        scanner.secret("management admin password", ADMIN_PASSWORD);
        scanner.secret("demo client secret", "demo-orders-secret");
        scanner.secret("demo client secret", "demo-shipping-secret");
        return issued;
    }

    private void keepCachedTokens() {
        for (String name : CONNECTIONS) {
            connections.tokenManager(name).flatMap(m -> m.cachedToken()).map(Token::value).ifPresent(cachedTokens::add);
        }
    }

    private int call(String connection, String path) {
        Exchange out = send(connection, path);
        assertNull(out.getException(), () -> connection + ": " + out.getException());
        scanner.text("API answer " + connection + path, out.getMessage().getBody(String.class));
        return out.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
    }

    private Exchange send(String connection, String path) {
        return template.send("oauth:" + connection + path, e -> e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET"));
    }

    private Response keep(String where, Response response) {
        scanner.text(where, response.getHeaders() + "\n" + response.asString());
        return response;
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", ADMIN_PASSWORD);
    }

    private static RequestSpecification post(String csrf) {
        return admin().header("Origin", "http://localhost:" + RestAssured.port).cookie(ManagementGuard.CSRF_COOKIE, csrf)
                .header(ManagementGuard.CSRF_HEADER, csrf);
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
