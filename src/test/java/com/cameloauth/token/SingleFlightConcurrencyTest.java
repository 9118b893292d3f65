package com.cameloauth.token;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many callers at once share one token request. The token endpoint holds its answer at a gate until the test has
 * seen every caller inside the call and all but the one making the request parked, waiting for it; only then does
 * the test let the answer go. So the callers overlap with the request in flight however the threads are scheduled.
 * The measured counts are printed so that they can be quoted.
 */
class SingleFlightConcurrencyTest {
    private static final int CALLERS = 64;

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private final RecordingListener listener = new RecordingListener();
    private final CountingExecutor executor = new CountingExecutor();
    private final GatedTokenEndpoint endpoint = GatedTokenEndpoint.answering("token-A", "token-B", "token-C");
    private final List<Thread> threads = new ArrayList<>();
    private OAuthConnections engine;
    private TokenManager manager;

    @BeforeEach
    void start() {
        engine = TestConnection.onPort(endpoint.port()).with("refresh-skew", "60s").engine(clock, sleeper, executor, listener);
        manager = engine.tokenManager(TestConnection.NAME).orElseThrow();
    }

    @AfterEach
    void stop() throws InterruptedException {
        endpoint.close();
        for (Thread t : threads) {
            t.interrupt();
            t.join(5000);
        }
        engine.close();
        executor.close();
    }

    /**
     * Runs the call on {@link #CALLERS} threads at once while the token endpoint holds its answers. When
     * {@code waitForTheRequest}, lets the answer go only once every caller is inside the call and all but the one
     * making the request are parked; otherwise every caller must return while the answer is still held.
     */
    private <T> List<T> together(Callable<T> call, boolean waitForTheRequest) throws Exception {
        endpoint.hold();
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger entered = new AtomicInteger();
        List<FutureTask<T>> tasks = new ArrayList<>();
        List<Thread> mine = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            FutureTask<T> task = new FutureTask<>(() -> {
                go.await();
                entered.incrementAndGet();
                return call.call();
            });
            Thread t = new Thread(task, "caller-" + i);
            t.setDaemon(true);
            tasks.add(task);
            mine.add(t);
        }
        threads.addAll(mine);
        mine.forEach(Thread::start);
        go.countDown();
        if (waitForTheRequest) {
            await("every caller waiting for the one request").atMost(Duration.ofSeconds(30))
                    .until(() -> entered.get() == CALLERS && endpoint.held() >= 1 && parked(mine) >= CALLERS - 1);
        } else {
            await("every caller served").atMost(Duration.ofSeconds(30)).until(() -> tasks.stream().allMatch(FutureTask::isDone));
        }
        endpoint.release();
        List<T> results = new ArrayList<>();
        for (FutureTask<T> task : tasks) {
            results.add(task.get(30, TimeUnit.SECONDS));
        }
        return results;
    }

    private static long parked(List<Thread> threads) {
        return threads.stream().map(Thread::getState)
                .filter(s -> s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING).count();
    }

    private static Set<String> headerValues(List<Authorization> authorizations) {
        return authorizations.stream().map(Authorization::headerValue).collect(Collectors.toSet());
    }

    private static void report(String what, int requests) {
        System.out.println("single-flight: " + what + ": " + CALLERS + " callers -> " + requests + " token request(s)");
    }

    @Test
    void authorizeOnColdCacheFromManyThreadsThenOneTokenRequest() throws Exception {
        List<Authorization> results = together(manager::authorize, true);

        int requests = endpoint.requests();
        report("cold cache", requests);
        assertEquals(1, requests);
        assertEquals(CALLERS, results.size());
        assertEquals(Set.of("Bearer token-A"), headerValues(results), "all callers got the same token");
    }

    @Test
    void authorizeOnExpiredCacheFromManyThreadsThenOneMoreTokenRequest() throws Exception {
        manager.authorize();
        clock.advance(Duration.ofSeconds(300));

        List<Authorization> results = together(manager::authorize, true);

        int more = endpoint.requests() - 1;
        report("expired cache", more);
        assertEquals(1, more);
        assertEquals(Set.of("Bearer token-B"), headerValues(results));
    }

    @Test
    void afterRejectionOfSameTokenFromManyThreadsThenOneTokenRequest() throws Exception {
        Authorization rejected = manager.authorize();

        List<Authorization> results = together(() -> manager.afterRejection(rejected).orElseThrow(), true);

        int more = endpoint.requests() - 1;
        report("401 storm on one token", more);
        assertEquals(1, more);
        assertEquals(Set.of("Bearer token-B"), headerValues(results), "every replay uses the one new token");
        assertEquals(1, listener.ofType(TokenEvent.Type.REJECTED).size(), "the token was evicted once");
    }

    @Test
    void authorizePastRefreshPointFromManyThreadsThenOneBackgroundRefresh() throws Exception {
        manager.authorize();
        clock.advance(Duration.ofSeconds(241));

        // Every caller returns while the refresh is held at the server.
        List<Authorization> results = together(manager::authorize, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.idle() && endpoint.requests() == 2);

        report("past the refresh point (background)", endpoint.requests() - 1);
        assertEquals(Set.of("Bearer token-A"), headerValues(results), "callers keep the valid token meanwhile");
        assertEquals(1, executor.submitted(), "one background refresh");
        assertEquals("Bearer token-B", manager.authorize().headerValue());
    }
}
