package com.cameloauth.token;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every wait the engine asks for and moves the clock by that much instead of sleeping. */
final class RecordingSleeper implements Sleeper {
    private final MutableClock clock;
    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    RecordingSleeper(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public void sleep(Duration duration) {
        waits.add(duration);
        clock.advance(duration);
    }

    /** The waits asked for so far, in order. */
    List<Duration> waits() {
        return List.copyOf(waits);
    }
}
