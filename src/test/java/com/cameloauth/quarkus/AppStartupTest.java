package com.cameloauth.quarkus;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** What a new user sees first: the app's root page, and a start-up log without avoidable warnings. */
@QuarkusTest
class AppStartupTest {

    @Test
    void rootPageLinksHealthAndMetrics() {
        given().redirects().follow(false).get("/").then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("href=\"/q/health\""))
                .body(containsString("href=\"/q/metrics\""));
    }

    @Test
    void startupLogHasNoWarning() throws IOException {
        // %test.quarkus.log.file.*: the test apps' log, console format; the sample routes' own warnings would be a bug too.
        // Only this test JVM's lines: the file outlives a build that did not clean.
        String since = LocalDateTime.ofInstant(Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()),
                ZoneId.systemDefault()).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS"));
        List<String> warnings = Files.readAllLines(Path.of("target/quarkus-test.log")).stream()
                .filter(line -> line.length() > since.length() && line.substring(0, since.length()).compareTo(since) >= 0)
                .filter(line -> line.contains(" WARN ")).toList();
        assertEquals(List.of(), warnings);
    }
}
