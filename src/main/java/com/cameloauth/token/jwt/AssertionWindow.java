package com.cameloauth.token.jwt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** The validity window of one assertion: iat = now (whole seconds, as JWT NumericDate), exp = iat + lifetime. */
record AssertionWindow(Date issuedAt, Date expiresAt) {
    /** Default assertion lifetime: short, since each request gets a fresh assertion (RFC 7523 3, OIDC core 9). */
    static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);

    static AssertionWindow startingNow(Clock clock, Duration lifetime) {
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        return new AssertionWindow(Date.from(now), Date.from(now.plus(lifetime)));
    }

    static Duration checkedLifetime(String connection, Duration lifetime) {
        Duration value = lifetime == null ? DEFAULT_LIFETIME : lifetime;
        if (value.getSeconds() < 1 || value.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new AssertionKeyException(connection, "client-assertion-lifetime must be between 1 s and 10 min"
                    + " (default 60 s), not " + value);
        }
        return value;
    }
}
