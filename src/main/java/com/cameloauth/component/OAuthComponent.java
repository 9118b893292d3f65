package com.cameloauth.component;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Endpoint;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.service.ServiceHelper;
import org.eclipse.microprofile.config.spi.ConfigSource;

import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.connection.ConnectionDefinitions;
import com.cameloauth.connection.OAuthSettings;
import com.cameloauth.observe.ApiCallRecorder;
import com.cameloauth.observe.AuditLog;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.TokenEventListener;

/**
 * The {@code oauth:} component: calls APIs through named connections and owns their token lifecycle. Connections come
 * from {@code oauth.connections.<name>.*} properties, or from an {@link OAuthConnections} set by the application
 * (the Quarkus app does that).
 */
@Component("oauth")
public class OAuthComponent extends DefaultComponent {

    @Metadata(label = "advanced", autowired = true, description = "The connections and their token engine. By default"
            + " they are built from the oauth.connections.<name>.* properties of the CamelContext and validated at start.")
    private OAuthConnections connections;

    private boolean ownsConnections;
    /** The OAuthMetrics bound by this component (typed Object: Micrometer is optional). */
    private Object metrics;
    /** The audit trail of connections this component built (the Quarkus app adds its own). */
    private AuditLog audit;
    private List<ConnectionHealthCheck> healthChecks = List.of();
    private final Map<String, HttpComponent> httpComponents = new ConcurrentHashMap<>();

    public OAuthComponent() {
    }

    public OAuthComponent(OAuthConnections connections) {
        this.connections = connections;
    }

    public OAuthConnections getConnections() {
        return connections;
    }

    public void setConnections(OAuthConnections connections) {
        this.connections = connections;
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        if (connections == null) {
            OAuthSettings settings = ConnectionDefinitions.loadSettings(configSources());
            connections = OAuthConnections.builder(settings.connections()).store(settings.store())
                    .reread(ConnectionDefinitions.rereading(this::configSources))
                    .executor(getCamelContext().getExecutorServiceManager().newCachedThreadPool(this, "oauth-token-refresh"))
                    .build();
            ownsConnections = true;
        }
    }

    /** Camel's (and Spring's) properties as they resolve now: read again after invalid_client, for rotated secrets. */
    private List<ConfigSource> configSources() {
        List<ConfigSource> sources = new ArrayList<>(List.of(new CamelPropertiesConfigSource(getCamelContext())));
        SpringEnvironmentConfigSource.of(getCamelContext()).ifPresent(sources::add);
        return sources;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // The audit trail (logger com.cameloauth.audit) of connections this component built; the Quarkus app adds its own.
        if (ownsConnections) {
            audit = new AuditLog();
            connections.addListener(audit);
        }
        // Metrics of connections this component built (camel-main, Spring Boot) go to the application's MeterRegistry,
        // with the clock those connections use (the builder's default). An application that passes its own
        // OAuthConnections binds OAuthMetrics itself (the Quarkus app does), so they are not registered twice.
        if (ownsConnections && MeterRegistryBinding.micrometerPresent(getCamelContext())) {
            metrics = MeterRegistryBinding.bind(getCamelContext(), connections, Clock.systemUTC());
        }
        HealthCheckRegistry registry = HealthCheckRegistry.get(getCamelContext());
        if (registry != null) {
            healthChecks = connections.names().stream().map(name -> new ConnectionHealthCheck(connections, name)).toList();
            healthChecks.forEach(check -> {
                check.setCamelContext(getCamelContext());
                registry.register(check);
            });
        }
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String name = remaining;
        String path = "";
        int slash = remaining.indexOf('/');
        if (slash >= 0) {
            name = remaining.substring(0, slash);
            path = remaining.substring(slash + 1);
        }
        if (!"*".equals(name) && connections.definition(name).isEmpty()) {
            // Camel wraps this in a ResolveEndpointFailedException naming the URI; one of our own would say it twice
            throw new IllegalArgumentException(connections.unknown(name));
        }
        OAuthEndpoint.checkOperation(remaining, parameters.get("operation"));
        OAuthEndpoint endpoint = new OAuthEndpoint(uri, this, name, path);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /**
     * camel-http for a connection's timeouts, with redirects off. Private to this component, so that tuning the
     * application's own http component does not change how credentials travel.
     */
    HttpComponent httpComponentFor(ConnectionDefinition definition) {
        // Shared by connections with the same timeouts: a camel-http component (and its pool) per connection cost
        // about 40 KiB each in the many-connections benchmark.
        // A connection with its own key or trust store gets its own (its TLS context is in the connection pool).
        var tls = connections.sslContext(definition.name());
        String key = definition.timeouts().connect().toMillis() + "/" + definition.timeouts().read().toMillis()
                + (tls.isPresent() ? "/tls:" + definition.name() : "");
        return httpComponents.computeIfAbsent(key, n -> {
            HttpComponent http = new HttpComponent();
            tls.ifPresent(context -> http.setSslContextParameters(new FixedSslContextParameters(context)));
            http.setCamelContext(getCamelContext());
            http.setConnectTimeout(definition.timeouts().connect().toMillis());
            http.setResponseTimeout(definition.timeouts().read().toMillis());
            http.setSoTimeout(definition.timeouts().read().toMillis());
            http.setFollowRedirects(false);
            ServiceHelper.startService(http);
            return http;
        });
    }

    /**
     * Where producers count their API calls: the metrics this component bound, else every recorder in the Camel
     * registry (the Quarkus app's OAuthMetrics bean and the timeline's ApiCallHistory), else nothing.
     */
    ApiCallRecorder apiCallRecorder() {
        if (metrics instanceof ApiCallRecorder own) {
            return own;
        }
        return ApiCallRecorder.all(getCamelContext().getRegistry().findByType(ApiCallRecorder.class));
    }

    @Override
    protected void doStop() throws Exception {
        if (metrics != null) {
            connections.removeListener((TokenEventListener) metrics);
            metrics = null;
        }
        if (audit != null) {
            connections.removeListener(audit);
            audit = null;
        }
        ServiceHelper.stopService(httpComponents.values());
        httpComponents.clear();
        HealthCheckRegistry registry = HealthCheckRegistry.get(getCamelContext());
        if (registry != null) {
            healthChecks.forEach(registry::unregister);
        }
        healthChecks = List.of();
        super.doStop();
    }

    @Override
    protected void doShutdown() throws Exception {
        if (ownsConnections && connections != null) {
            connections.close();
            connections = null;
            ownsConnections = false;
        }
        super.doShutdown();
    }
}
