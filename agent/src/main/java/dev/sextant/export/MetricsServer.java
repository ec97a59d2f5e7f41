package dev.sextant.export;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;

/**
 * Serves a Prometheus registry at {@code http://host:port/metrics} with the Prometheus Java
 * client's HTTP server. Only read endpoints are served.
 */
public final class MetricsServer implements AutoCloseable {
    private final HTTPServer server;
    private final String host;
    private final boolean https;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private MetricsServer(HTTPServer server, String host, boolean https) {
        this.server = server;
        this.host = host;
        this.https = https;
    }

    /**
     * Starts the server; fails at once, with a message that says what to change, when the
     * port is taken or the address cannot be bound.
     *
     * @param host address to bind ({@code 127.0.0.1} by default in the builders; {@code 0.0.0.0} for all)
     * @param port TCP port, 0 for any free port
     */
    public static MetricsServer start(PrometheusRegistry registry, String host, int port) {
        return start(registry, host, port, null, null);
    }

    /**
     * Starts the server with optional access control.
     *
     * @param authenticator e.g. a {@link com.sun.net.httpserver.BasicAuthenticator}; null for none
     * @param https         serves HTTPS with this configuration (an {@code SSLContext}); null for plain HTTP
     */
    public static MetricsServer start(PrometheusRegistry registry, String host, int port,
                                      Authenticator authenticator, HttpsConfigurator https) {
        return start(registry, host, port, authenticator, https, null);
    }

    /**
     * Starts the server with optional access control and a handler for every path other than
     * {@code /metrics} and {@code /-/healthy} (e.g. the live page, {@code dev.sextant.web.LivePage}),
     * behind the same authenticator.
     *
     * @param otherPaths serves {@code /} and every path below it except the metrics; null for the Prometheus client's default page
     */
    public static MetricsServer start(PrometheusRegistry registry, String host, int port,
                                      Authenticator authenticator, HttpsConfigurator https, HttpHandler otherPaths) {
        try {
            HTTPServer.Builder b = HTTPServer.builder().hostname(host).port(port).registry(registry);
            if (otherPaths != null) {
                b.defaultHandler(otherPaths);
            }
            if (authenticator != null) {
                b.authenticator(authenticator);
            }
            if (https != null) {
                b.httpsConfigurator(https);
            }
            HTTPServer s = b.buildAndStart();
            return new MetricsServer(s, host, https != null);
        } catch (BindException e) {
            throw new IllegalStateException("Sextant cannot serve metrics on " + host + ":" + port + " ("
                    + e.getMessage() + "): choose another port (builder .port(...), demo --port) or 0 for any free port", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Sextant cannot start its metrics server on " + host + ":" + port, e);
        }
    }

    /** The bound port (useful when started on port 0). */
    public int port() {
        return server.getPort();
    }

    /** The URL of the metrics endpoint. */
    public String metricsUrl() {
        return rootUrl() + "metrics";
    }

    /** The URL of {@code /}: the live page when one was given, else the Prometheus client's index page. */
    public String rootUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return (https ? "https://" : "http://") + h + ":" + port() + "/";
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.close();
        }
    }
}
