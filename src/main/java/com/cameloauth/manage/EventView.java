package com.cameloauth.manage;

import java.time.Instant;

import com.cameloauth.token.TokenEvent;

/** A token event as the management API shows it: type, time, token fingerprint and a safe detail. */
public record EventView(String type, Instant at, String fingerprint, String detail) {

    public static EventView of(TokenEvent event) {
        return new EventView(event.type().name(), event.at(), event.fingerprint(), SafeText.of(event.detail()));
    }
}
