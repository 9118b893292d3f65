package com.cameloauth.token;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every token event, in order. */
final class RecordingListener implements TokenEventListener {
    private final List<TokenEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(TokenEvent event) {
        events.add(event);
    }

    List<TokenEvent> events() {
        return List.copyOf(events);
    }

    List<TokenEvent> ofType(TokenEvent.Type type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }

    List<TokenEvent.Type> types() {
        return events.stream().map(TokenEvent::type).toList();
    }
}
