package com.cameloauth.observe;

import java.util.Collection;
import java.util.List;

/**
 * Counts the API calls the {@code oauth:} producer sends, by connection and status class. {@link OAuthMetrics}
 * implements it over Micrometer; this interface has no Micrometer type, so the component can hold one without
 * Micrometer on the class path.
 */
public interface ApiCallRecorder {
    /** Records nothing: when no metrics are bound. */
    ApiCallRecorder NONE = (connection, status) -> { };

    /**
     * One HTTP request was sent to the API of {@code connection} (a replay after 401 is a second one).
     *
     * @param status the HTTP status it answered, or 0 when there was no answer (connect error, timeout)
     */
    void apiCall(String connection, int status);

    /** Every one of {@code recorders}, in turn (metrics and the timeline's history, for one). */
    static ApiCallRecorder all(Collection<? extends ApiCallRecorder> recorders) {
        List<ApiCallRecorder> each = List.copyOf(recorders);
        if (each.isEmpty()) {
            return NONE;
        }
        return each.size() == 1 ? each.get(0) : (connection, status) -> each.forEach(r -> r.apiCall(connection, status));
    }

    /** The status class a status is counted under: {@code 2xx} .. {@code 5xx}, or {@code error} (no answer). */
    static String statusClass(int status) {
        return status >= 100 && status < 600 ? (status / 100) + "xx" : "error";
    }
}
