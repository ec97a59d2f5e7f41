package dev.sextant.export;

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

    private MetricsServer(HTTPServer server, String host) {
        this.server = server;
        this.host = host;
    }

    /**
     * Starts the server; fails at once, with a message that says what to change, when the
     * port is taken or the address cannot be bound.
     *
     * @param host address to bind ({@code 127.0.0.1} by default in the builders; {@code 0.0.0.0} for all)
     * @param port TCP port, 0 for any free port
     */
    public static MetricsServer start(PrometheusRegistry registry, String host, int port) {
        try {
            HTTPServer s = HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart();
            return new MetricsServer(s, host);
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
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + h + ":" + port() + "/metrics";
    }

    @Override
    public void close() {
        server.close();
    }
}
