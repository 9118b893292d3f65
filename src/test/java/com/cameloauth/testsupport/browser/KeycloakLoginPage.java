package com.cameloauth.testsupport.browser;

import java.net.URI;
import java.time.Duration;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Keycloak's login form, as a user fills it in: fields {@code username} and {@code password}, button {@code kc-login}. */
public final class KeycloakLoginPage {
    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(60);

    private KeycloakLoginPage() {
    }

    /**
     * Opens the authorization request in the browser, waits for the login form and submits it. Keycloak then
     * redirects the browser to the request's redirect URI.
     */
    public static void logIn(WebDriver driver, URI authorizationRequest, String username, String password) {
        driver.get(authorizationRequest.toString());
        new WebDriverWait(driver, PAGE_TIMEOUT).until(ExpectedConditions.elementToBeClickable(By.id("kc-login")));
        driver.findElement(By.id("username")).sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("kc-login")).click();
    }
}
