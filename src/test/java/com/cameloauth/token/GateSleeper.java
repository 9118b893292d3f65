package com.cameloauth.token;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds a token request in flight where the engine waits between attempts, until the test releases it; then it
 * returns, or throws the error the test chose. Lets a test keep a request in flight for exactly as long as it wants.
 */
final class GateSleeper implements Sleeper {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile Error error;

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        entered.countDown();
        if (!released.await(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test never released the request in flight");
        }
        Error e = error;
        if (e != null) {
            throw e;
        }
    }

    /** Waits until a token request is held here. */
    void awaitHolding() throws InterruptedException {
        assertTrue(entered.await(10, TimeUnit.SECONDS), "no token request reached the gate");
    }

    /** Whether a request is held now. */
    boolean holding() {
        return entered.getCount() == 0 && released.getCount() > 0;
    }

    void release() {
        released.countDown();
    }

    /** Releases the held request by throwing this error inside it (and in every later wait). */
    void releaseWith(Error e) {
        error = e;
        released.countDown();
    }
}
