package com.cameloauth.token;

import java.time.Duration;

/** Waits between token request attempts. Injected so that tests can move a clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
