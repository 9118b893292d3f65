package com.cameloauth.token;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * A server-side gate: a stub with {@code .withTransformers(HeldAnswer.NAME)} is not answered until the test calls
 * {@link #release()} (or 30 s pass, so that no server thread stays blocked). Makes "the answer came too late" a fact
 * the test controls instead of a race between a fixed delay and a timeout.
 */
final class HeldAnswer implements ResponseDefinitionTransformerV2 {
    static final String NAME = "held-answer";

    private volatile CountDownLatch gate = new CountDownLatch(1);

    /** Holds every answer of the gated stubs from now on. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        gate.countDown();
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        try {
            gate.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return serveEvent.getResponseDefinition();
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }
}
