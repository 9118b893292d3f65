package com.cameloauth.quarkus.manage;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.cameloauth.observe.ApiCallHistory;

/**
 * The last hour of API call outcomes per connection for the timeline. The {@code oauth:} producers find it in the
 * Camel registry as an {@code ApiCallRecorder}, beside the metrics.
 */
@Singleton
public class TimelineBeans {

    @Produces
    @Singleton
    ApiCallHistory apiCallHistory() {
        return new ApiCallHistory(Clock.systemUTC());
    }
}
