package com.cameloauth.quarkus.manage;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;

import com.cameloauth.manage.ConnectionRegistry;
import com.cameloauth.observe.RecentEvents;
import com.cameloauth.token.OAuthConnections;

/** The recent-events buffer (listening from startup, so the page shows every event) and the connections registry. */
@Singleton
public class ManagementBeans {

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
        return new ConnectionRegistry(connections, events, Clock.systemUTC());
    }
}
