package com.cameloauth.testsupport.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Chromium driven by Selenium, with a fresh profile per instance (no SSO cookie carries over from one
 * login test to the next). Uses Debian's {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}, which
 * {@code .ci/run} installs, so Selenium Manager never runs. Chromium may only resolve loopback names. Close it.
 *
 * <pre>
 * try (HeadlessChromium chromium = HeadlessChromium.start()) {
 *     chromium.driver().get(url);
 * }
 * </pre>
 */
public final class HeadlessChromium implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final Path home;
    private final ChromeDriverService service;
    private final ChromeDriver driver;

    private HeadlessChromium(Path home, ChromeDriverService service, ChromeDriver driver) {
        this.home = home;
        this.service = service;
        this.driver = driver;
    }

    /** Starts chromedriver and a browser session (about 1 s). */
    public static HeadlessChromium start() {
        for (Path executable : new Path[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(executable)) {
                throw new IllegalStateException(executable + " is missing: install it with 'apt-get install -y"
                        + " chromium chromium-driver' (.ci/run does so when it is missing)");
            }
        }
        Path home;
        try {
            home = Files.createTempDirectory("camel-oauth-chromium-");
            Files.createDirectories(home.resolve("config"));
            Files.createDirectories(home.resolve("cache"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withEnvironment(Map.of(
                        "XDG_CONFIG_HOME", home.resolve("config").toString(),
                        "XDG_CACHE_HOME", home.resolve("cache").toString()))
                .withLogFile(new File(home.toFile(), "chromedriver.log"))
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--no-sandbox", // tests run as root
                "--headless=new",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--no-first-run",
                "--user-data-dir=" + home.resolve("profile"),
                // no look-ups of Google hosts: only loopback resolves
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost");
        try {
            return new HeadlessChromium(home, service, new ChromeDriver(service, options));
        } catch (RuntimeException e) {
            service.stop();
            delete(home);
            throw e;
        }
    }

    public WebDriver driver() {
        return driver;
    }

    /** Ends the session, stops chromedriver and deletes the profile. */
    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            delete(home);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp folder
        }
    }
}
