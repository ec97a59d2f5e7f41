package dev.sextant.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.sextant.export.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The live page of a training run, served next to {@code /metrics} by the same server
 * ({@code MetricsServer.start(..., otherPaths)}). Read-only: GET and HEAD, nothing else.
 * <ul>
 *   <li>{@code GET /}: the page; it polls the endpoint below every {@value #POLL_MILLIS} ms and
 *       draws the charts of {@link Charts} with uPlot;</li>
 *   <li>{@code GET /api/samples?after=<seq>}: the history entries with a sequence number above
 *       {@code seq} (0 or absent: every entry held), as JSON:
 *       <pre>{"run":"r1","model":"mlp","capacity":2000,"oldest":1,"newest":57,"missed":0,"entries":[...]}</pre>
 *       {@code entries} are in the event log's line format plus {@code seq} and {@code seconds}
 *       ({@link HistoryEntry}), with the values the history keeps (the listener's: those the page
 *       draws); pass {@code newest} as the next {@code after}. {@code missed}
 *       counts the entries after {@code seq} that were overwritten before this read;</li>
 *   <li>{@code GET /sextant-page.js}, {@code /sextant-page.css}, {@code /webjars/uplot/<version>/dist/...}:
 *       the page's script and style and uPlot, from the class path.</li>
 * </ul>
 */
public final class LivePage implements HttpHandler {
    /** Path of the JSON endpoint. */
    public static final String SAMPLES_PATH = "/api/samples";
    /** How often the page asks for new entries. */
    public static final int POLL_MILLIS = 2000;
    /** Where the page may load from and connect to: this server only. */
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

    private final SampleHistory history;
    private final String run;
    private final String model;
    private final byte[] page;

    /**
     * @param history where the samples come from
     * @param run     run id, shown in the page title
     * @param model   model name, shown in the page title
     */
    public LivePage(SampleHistory history, String run, String model) {
        this.history = Objects.requireNonNull(history, "history");
        this.run = Objects.requireNonNull(run, "run");
        this.model = Objects.requireNonNull(model, "model");
        this.page = PageHtml.live(run, model, POLL_MILLIS).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            boolean head = method.equals("HEAD");
            if (!method.equals("GET") && !head) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                sendText(exchange, 405, "405 method not allowed: the live page is read-only (GET, HEAD)\n", false);
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/") || path.equals("/index.html")) {
                exchange.getResponseHeaders().set("Content-Security-Policy", CSP);
                send(exchange, 200, "text/html; charset=utf-8", "no-cache", page, head);
            } else if (path.equals(SAMPLES_PATH)) {
                samples(exchange, head);
            } else {
                PageAssets.Asset asset = PageAssets.find(path);
                if (asset == null) {
                    sendText(exchange, 404, "404 not found: " + path + " (the live page is at /, its data at "
                            + SAMPLES_PATH + ", the metrics at /metrics)\n", head);
                } else {
                    send(exchange, 200, asset.contentType(), asset.versioned() ? "max-age=86400" : "no-cache",
                            asset.bytes(), head);
                }
            }
        }
    }

    private void samples(HttpExchange exchange, boolean head) throws IOException {
        long after;
        try {
            after = afterParameter(exchange.getRequestURI().getRawQuery());
        } catch (IllegalArgumentException e) {
            sendText(exchange, 400, "400 bad request: " + e.getMessage() + "\n", head);
            return;
        }
        byte[] body = samplesJson(history.after(after), after).getBytes(StandardCharsets.UTF_8);
        send(exchange, 200, "application/json; charset=utf-8", "no-store", body, head);
    }

    /** The {@code after} query parameter: a sequence number, 0 when absent. */
    static long afterParameter(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return 0;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith("after=")) {
                String v = pair.substring("after=".length());
                try {
                    long after = Long.parseLong(v);
                    if (after >= 0) {
                        return after;
                    }
                } catch (NumberFormatException ignored) {
                    // reported below
                }
                throw new IllegalArgumentException("after: '" + v + "' is not a sequence number; use 0 for every "
                        + "entry held, then the 'newest' of the previous response");
            }
        }
        return 0;
    }

    String samplesJson(SampleHistory.Slice slice, long after) {
        StringBuilder sb = new StringBuilder(1024 + 512 * slice.entries().size());
        sb.append("{\"run\":");
        Json.string(sb, run);
        sb.append(",\"model\":");
        Json.string(sb, model);
        sb.append(",\"capacity\":").append(slice.capacity());
        sb.append(",\"oldest\":").append(slice.oldest());
        sb.append(",\"newest\":").append(slice.newest());
        sb.append(",\"missed\":").append(slice.missedAfter(after));
        sb.append(",\"entries\":[");
        for (int i = 0; i < slice.entries().size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            slice.entries().get(i).appendJson(sb);
        }
        return sb.append("]}").toString();
    }

    private static void sendText(HttpExchange exchange, int status, String text, boolean head) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", "no-store", text.getBytes(StandardCharsets.UTF_8), head);
    }

    private static void send(HttpExchange exchange, int status, String type, String cache, byte[] body, boolean head)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", cache);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        if (head) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
