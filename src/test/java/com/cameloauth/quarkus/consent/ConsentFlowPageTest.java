package com.cameloauth.quarkus.consent;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.cameloauth.testsupport.browser.HeadlessChromium;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.TokenManager;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The consent walkthrough of the README, in order: my-orders waits for consent (the integration says so with 409, the
 * app stays ready); an admin presses Provide Consent on the connections page, signs in at the demo as ada and
 * approves; the callback page says so; the card shows ACTIVE; the HTTP-triggered integration answers with ada's
 * orders. Screenshots go to target/screenshots.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsentFlowPageTest {
    private static final Path SHOTS = Path.of("target", "screenshots");

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    CamelContext camel;

    @Inject
    OAuthConnections connections;

    @Test
    @Order(1)
    void beforeConsentTheIntegrationAnswers409WithTheConsentLinkAndTheAppStaysReady() {
        await().atMost(Duration.ofSeconds(30)).until(() -> "NEEDS_CONSENT".equals(ConsentSteps.state()));
        given().get("/integrations/my-orders").then().statusCode(409).contentType(containsString("application/json"))
                .body("error", equalTo("consent_required")).body("consentUrl", equalTo("/oauth/consent/my-orders"));
        // waiting for a person is not an outage: the pod must stay reachable, or nobody could reach the consent page
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200)
                .body("checks.find { it.name == 'oauth-connection-my-orders' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'oauth-connection-my-orders' }.data.state", equalTo("NEEDS_CONSENT")));
    }

    @Test
    @Order(2)
    void provideConsentOnTheConnectionsPage() throws IOException {
        assumeTrue(Files.isExecutable(HeadlessChromium.CHROMIUM) && Files.isExecutable(HeadlessChromium.CHROMEDRIVER),
                "needs chromium and chromium-driver (apt-get install -y chromium chromium-driver)");
        Files.createDirectories(SHOTS);
        String app = "http://127.0.0.1:" + port;
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            WebDriver driver = chromium.driver();
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            driver.get(app + "/oauth/ui/");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("j_username"))).sendKeys("admin");
            driver.findElement(By.id("j_password")).sendKeys("admin-demo");
            driver.findElement(By.id("sign-in")).click();

            By myOrders = card("my-orders");
            wait.until(ExpectedConditions.presenceOfElementLocated(myOrders));
            wait.until(d -> "NEEDS_CONSENT".equals(d.findElement(myOrders).getDomAttribute("data-state")));
            WebElement consent = driver.findElement(myOrders).findElement(By.className("consent"));
            assertTrue(consent.isEnabled(), "Provide Consent is enabled for an authorization-code connection");
            wait.until(ExpectedConditions.presenceOfElementLocated(card("orders-api")));
            assertFalse(driver.findElement(card("orders-api")).findElement(By.className("consent")).isEnabled(),
                    "and disabled for a client-credentials one");
            shot(driver, "consent-1-needs-consent");

            consent.click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("approve")));
            assertTrue(driver.getCurrentUrl().startsWith(app + "/demo/oauth/authorize?"), driver.getCurrentUrl());
            assertTrue(driver.getPageSource().contains("my-orders-client"), "the page names the client");
            driver.findElement(By.id("username")).sendKeys("ada");
            driver.findElement(By.id("password")).sendKeys("ada-demo");
            shot(driver, "consent-2-demo-sign-in");
            driver.findElement(By.id("approve")).click();

            WebElement outcome = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("outcome")));
            assertTrue(driver.getCurrentUrl().startsWith(app + "/oauth/callback?"), driver.getCurrentUrl());
            assertTrue(outcome.getText().startsWith("Consent given"), outcome.getText());
            String code = URI.create(driver.getCurrentUrl()).getRawQuery().replaceAll(".*code=([^&]+).*", "$1");
            assertFalse(driver.getPageSource().contains(code), "the callback page never shows the code");
            shot(driver, "consent-3-callback");

            driver.findElement(By.linkText("Back to the connections page")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(myOrders));
            wait.until(d -> "ACTIVE".equals(d.findElement(myOrders).getDomAttribute("data-state")));
            assertEquals("ACTIVE", driver.findElement(myOrders).findElement(By.className("badge")).getText());
            shot(driver, "consent-4-active");
        }
    }

    @Test
    @Order(3)
    void afterConsentTheIntegrationAnswersWithTheUsersOrders() {
        // without a browser, give consent the way a script would
        if (!"ACTIVE".equals(ConsentSteps.state())) {
            ConsentSteps.Started started = ConsentSteps.start();
            URI callback = ConsentSteps.approve(started, "ada", "ada-demo");
            given().urlEncodingEnabled(false).cookie(started.cookieName(), started.cookieValue())
                    .get(ConsentSteps.pathAndQuery(callback)).then().statusCode(200);
        }
        given().cookie("quarkus-credential", "not-for-the-api").header("Authorization", "Bearer not-for-the-api")
                .get("/integrations/my-orders").then().statusCode(200).contentType(containsString("application/json"))
                .header("Set-Cookie", equalTo(null))
                .body("user", equalTo("ada")).body("name", equalTo("Ada Lovelace")).body("orders", hasSize(2));
    }

    @Test
    @Order(4)
    void theCallbackCopiesNoRequestHeaderIntoCamel() {
        ConsentSteps.Started started = ConsentSteps.start();
        URI callback = ConsentSteps.approve(started, "grace", "grace-demo");
        given().urlEncodingEnabled(false).cookie(started.cookieName(), started.cookieValue())
                .header("CamelHttpUri", "http://127.0.0.1:1/stolen").header("CamelOAuthConnection", "orders-api")
                .header("CamelExecCommandExecutable", "/bin/false")
                .get(ConsentSteps.pathAndQuery(callback)).then().statusCode(200).body(containsString("Consent given"))
                .body(not(containsString("stolen")));
        // the consent went to the connection of its state, and nothing of the request reached Camel
        given().get("/integrations/my-orders").then().statusCode(200).body("user", equalTo("grace"));
        assertTrue(camel.getGlobalOptions().keySet().stream().noneMatch(k -> k.startsWith("Camel")), camel.getGlobalOptions()
                .toString());
    }

    @Test
    @Order(5)
    void theConsentedConnectionRenewsItsTokenWithTheRotatedRefreshToken() {
        long before = refreshRequests();
        TokenManager manager = connections.tokenManager("my-orders").orElseThrow();
        String first = manager.refresh().fingerprint();
        String second = manager.refresh().fingerprint();
        assertFalse(first.equals(second), "a new token each time");
        // two refreshes (at least: a proactive one may join), each with the refresh token the previous one returned,
        // since the demo accepts each refresh token once
        long after = refreshRequests();
        assertTrue(after >= before + 2, before + " -> " + after);
        assertEquals("ACTIVE", ConsentSteps.state());
        given().get("/integrations/my-orders").then().statusCode(200).body("user", equalTo("grace"));
    }

    private static long refreshRequests() {
        return given().get("/demo/stats").then().statusCode(200).extract().jsonPath().getLong("refreshTokenRequests");
    }

    private static By card(String name) {
        return By.cssSelector("section.conn[data-name='" + name + "']");
    }

    private static void shot(WebDriver driver, String name) throws IOException {
        Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), SHOTS.resolve(name + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
    }
}
