package com.cameloauth.quarkus.manage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The connections page in a real headless Chromium: sign in with the form, see the demo connections, Test, Revoke and
 * Refresh without a reload, and a failing connection's error. Screenshots go to target/screenshots.
 */
@QuarkusTest
@TestProfile(ManageProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConnectionsPageTest {
    private static final String PAGE = "http://127.0.0.1:" + ManageProfile.PORT + "/oauth/ui/";
    private static final Path SHOTS = Path.of("target", "screenshots");
    private static Path profile;
    private static ChromeDriver driver;
    private static WebDriverWait wait;

    @BeforeAll
    static void startBrowser() throws IOException {
        assumeTrue(new File("/usr/bin/chromium").canExecute() && new File("/usr/bin/chromedriver").canExecute(),
                "needs chromium and chromium-driver (apt-get install -y chromium chromium-driver)");
        profile = Files.createTempDirectory("manage-chromium");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort()
                .withEnvironment(Map.of("XDG_CONFIG_HOME", profile.resolve("config").toString(),
                        "XDG_CACHE_HOME", profile.resolve("cache").toString()))
                .build();
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
                "--user-data-dir=" + profile.resolve("user-data"), "--window-size=1280,1500",
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost");
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void signInAndSeeTheDemoConnections() throws IOException {
        driver.get(PAGE);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("j_username")));
        shot("1-login");
        driver.findElement(By.id("j_username")).sendKeys("admin");
        driver.findElement(By.id("j_password")).sendKeys("admin-demo");
        driver.findElement(By.id("sign-in")).click();
        for (String name : List.of("orders-api", "shipping-api", "spare-api", "broken-api")) {
            wait.until(ExpectedConditions.presenceOfElementLocated(card(name)));
            assertEquals(name, driver.findElement(card(name)).findElement(By.cssSelector("h2.conn-name")).getText(),
                    "each card is headed by its connection's name");
        }
        assertEquals("client-credentials", driver.findElement(card("orders-api")).findElement(By.className("policy")).getText());
        String badge = driver.findElement(card("shipping-api")).findElement(By.className("badge")).getText();
        assertTrue(List.of("IDLE", "ACTIVE", "EXPIRED").contains(badge), badge);
        assertFalse(driver.findElement(card("orders-api")).findElement(By.className("consent")).isEnabled(),
                "no consent URL: the button is disabled");
    }

    @Test
    @Order(2)
    void testShowsASuccessReport() throws IOException {
        click("spare-api", "Test spare-api");
        WebElement result = resultOf("spare-api", "OK");
        assertTrue(result.getText().startsWith("Test passed: new token fp="), result.getText());
        wait.until(d -> "ACTIVE".equals(state("spare-api")));
    }

    @Test
    @Order(3)
    void revokeThenRefreshChangesTheStateWithoutAReload() throws IOException {
        click("spare-api", "Refresh spare-api");
        resultOf("spare-api", "OK");
        wait.until(d -> "ACTIVE".equals(state("spare-api")));
        click("spare-api", "Revoke spare-api");
        WebElement result = resultOf("spare-api", "REVOKED_LOCALLY");
        assertTrue(result.getText().contains("no revocation endpoint"), result.getText());
        wait.until(d -> "EXPIRED".equals(state("spare-api")));
        assertEquals("EXPIRED", driver.findElement(card("spare-api")).findElement(By.className("badge")).getText());
        shot("2-revoked");
        click("spare-api", "Refresh spare-api");
        resultOf("spare-api", "OK");
        wait.until(d -> "ACTIVE".equals(state("spare-api")));
    }

    @Test
    @Order(4)
    void aFailingConnectionShowsItsError() throws IOException {
        click("broken-api", "Test broken-api");
        WebElement result = resultOf("broken-api", "FAILED");
        assertTrue(result.getText().contains("invalid_client"), result.getText());
        wait.until(d -> "FAILED".equals(state("broken-api")));
        WebElement error = driver.findElement(card("broken-api")).findElement(By.className("last-error"));
        wait.until(ExpectedConditions.visibilityOf(error));
        assertTrue(error.getText().contains("invalid_client") && error.getText().contains("HTTP 401"), error.getText());
    }

    @Test
    @Order(5)
    void detailsShowRecentEventsAndTheTimeline() throws IOException {
        WebElement orders = driver.findElement(card("orders-api"));
        orders.findElement(By.className("details-toggle")).click();
        wait.until(d -> !orders.findElements(By.cssSelector(".events tbody tr")).isEmpty());
        wait.until(d -> Boolean.TRUE.equals(driver.executeScript(
                "const i = arguments[0].querySelector('.timeline'); return i.complete && i.naturalWidth > 0;", orders)));
        // the README's docs/connections-page.png is this file, copied by hand when the page changes: a test run
        // never writes into the source tree
        shot("3-details");
    }

    private static By card(String name) {
        return By.cssSelector("section.conn[data-name='" + name + "']");
    }

    private static String state(String name) {
        return driver.findElement(card(name)).getDomAttribute("data-state");
    }

    private static void click(String name, String label) {
        WebElement button = driver.findElement(card(name)).findElement(By.cssSelector("button[aria-label='" + label + "']"));
        wait.until(ExpectedConditions.elementToBeClickable(button)).click();
    }

    /** Waits for the action's result to be shown, with the given outcome. */
    private static WebElement resultOf(String name, String outcome) {
        WebElement result = driver.findElement(card(name)).findElement(By.className("result"));
        wait.until(d -> outcome.equals(result.getDomAttribute("data-result")) && !result.getText().endsWith("running…"));
        return result;
    }

    private static Path shot(String name) throws IOException {
        Path target = SHOTS.resolve(name + ".png");
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }
}
