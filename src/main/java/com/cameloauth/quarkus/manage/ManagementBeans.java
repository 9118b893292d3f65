package com.cameloauth.quarkus.manage;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;

import com.cameloauth.manage.ConnectionRegistry;
import com.cameloauth.observe.RecentEvents;
import com.cameloauth.token.OAuthConnections;

/**
 * The recent-events buffer (listening from startup, so the page shows every event) and the connections registry, whose
 * views link to the consent endpoint for connections that take consent.
 */
@Singleton
public class ManagementBeans {
    /** The consent endpoint ({@code ConsentResource}), relative: the page and the API are served by the same app. */
    static final String CONSENT_PATH = "/oauth/consent/";

    @Produces
    @Singleton
    @Startup
    RecentEvents recentEvents(OAuthConnections connections) {
        RecentEvents events = new RecentEvents();
        connections.addListener(events);
        return events;
    }

    @Produces
    @Singleton
    ConnectionRegistry registry(OAuthConnections connections, RecentEvents events) {
        return new ConnectionRegistry(connections, events, Clock.systemUTC(),
                name -> connections.takesConsent(name) ? CONSENT_PATH + name : null);
    }
}
