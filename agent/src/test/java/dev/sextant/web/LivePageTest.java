package dev.sextant.web;

import dev.sextant.export.EventLog;
import dev.sextant.export.MetricsExporter;
import dev.sextant.export.MetricsServer;
import dev.sextant.probe.MetricSpec;
import dev.sextant.probe.Reading;
import dev.sextant.probe.Sample;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The live page's HTTP surface, served by the real metrics server on a free port. */
class LivePageTest {
    static final MetricSpec LOSS = MetricSpec.global("sextant_loss", null, "loss");
    static final MetricSpec NORM = MetricSpec.perParameter("sextant_weight_norm", null, "norm");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private SampleHistory history;
    private MetricsServer server;
    private String base;
    private Sample sample;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        PrometheusMeterRegistry registry = MetricsExporter.newRegistry();
        MetricsExporter exporter = new MetricsExporter(registry, "r1", "mlp", List.of());
        history = new SampleHistory(100);
        server = MetricsServer.start(registry.getPrometheusRegistry(), "127.0.0.1", 0, null, null,
                new LivePage(history, "r1", "mlp"));
        base = "http://127.0.0.1:" + server.port();
        sample = new Sample("weights", 10, 0, 1764270000000L, List.of(
                new Reading(NORM, List.of("0", "W"), 3.25), new Reading(LOSS, List.of(), Double.NaN)));
        exporter.accept(sample);
        history.probeTimed("weights", 10, 0.002);
        history.accept(sample);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<byte[]> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(5)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void rootServesThePageLinkingItsScriptAndUPlotFromThisServer() throws Exception {
        HttpResponse<byte[]> r = send("GET", "/");
        assertEquals(200, r.statusCode());
        assertEquals("text/html; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
        String html = text(r);
        assertTrue(html.contains("<script src=\"sextant-page.js\"></script>"), html);
        assertTrue(html.contains("<script src=\"webjars/uplot/" + UPlotWebJar.version() + "/dist/uPlot.iife.min.js\">"));
        assertFalse(html.contains("https://") || html.contains("http://"), "nothing is loaded from elsewhere");
        assertFalse(html.contains("{{"), "every slot of the template is filled");
        assertTrue(r.headers().firstValue("Content-Security-Policy").orElseThrow().contains("default-src 'self'"));
        assertEquals(200, send("GET", "/index.html").statusCode());
    }

    @Test
    void uPlotAndThePageScriptComeFromTheClassPath() throws Exception {
        String path = "/webjars/uplot/" + UPlotWebJar.version() + "/dist/uPlot.iife.min.js";
        HttpResponse<byte[]> r = send("GET", path);
        assertEquals(200, r.statusCode());
        assertEquals("text/javascript; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
        try (InputStream in = getClass().getClassLoader()
                .getResourceAsStream("META-INF/resources" + path)) {
            assertArrayEquals(in.readAllBytes(), r.body(), "the WebJar's file, byte for byte");
        }
        HttpResponse<byte[]> css = send("GET", "/webjars/uplot/" + UPlotWebJar.version() + "/dist/uPlot.min.css");
        assertEquals("text/css; charset=utf-8", css.headers().firstValue("Content-Type").orElseThrow());
        HttpResponse<byte[]> js = send("GET", "/sextant-page.js");
        assertEquals(200, js.statusCode());
        assertTrue(text(js).contains("sextant-config"));
        assertEquals(200, send("GET", "/sextant-page.css").statusCode());
    }

    @Test
    void samplesEndpointReturnsTheHistoryInTheEventLogsLineFormat() throws Exception {
        HttpResponse<byte[]> r = send("GET", "/api/samples");
        assertEquals(200, r.statusCode());
        assertEquals("application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElseThrow());
        JsonNode body = json.readTree(r.body());
        assertEquals("r1", body.get("run").asText());
        assertEquals("mlp", body.get("model").asText());
        assertEquals(100, body.get("capacity").asInt());
        assertEquals(1, body.get("oldest").asLong());
        assertEquals(1, body.get("newest").asLong());
        assertEquals(0, body.get("missed").asLong());
        JsonNode entry = body.get("entries").get(0);
        assertEquals(1, entry.get("seq").asLong());
        assertEquals(0.002, entry.get("seconds").asDouble(), 0.0);

        // The same sample written by the event log: the entry is that line plus seq and seconds
        // (the run and model are said once per response instead of once per line).
        Path log = dir.resolve("events.jsonl");
        try (EventLog eventLog = EventLog.open(log, "r1", "mlp")) {
            eventLog.accept(sample);
        }
        ObjectNode line = (ObjectNode) json.readTree(Files.readAllLines(log).get(0));
        line.remove(List.of("run", "model"));
        ObjectNode fromEndpoint = ((ObjectNode) entry).deepCopy();
        fromEndpoint.remove(List.of("seq", "seconds"));
        assertEquals(line, fromEndpoint);
        assertEquals("NaN", entry.get("values").get(1).get("value").asText(), "NaN stays NaN, as in the log");
    }

    @Test
    void afterReturnsOnlyNewerEntriesAndABadCursorIsRefused() throws Exception {
        history.accept(new Sample("progress", 11, 0, 1L, List.of(new Reading(LOSS, List.of(), 0.5))));
        JsonNode newer = json.readTree(send("GET", "/api/samples?after=1").body());
        assertEquals(1, newer.get("entries").size());
        assertEquals(2, newer.get("entries").get(0).get("seq").asLong());
        assertEquals(2, newer.get("newest").asLong());
        assertEquals(0, json.readTree(send("GET", "/api/samples?after=2").body()).get("entries").size());

        HttpResponse<byte[]> bad = send("GET", "/api/samples?after=-1");
        assertEquals(400, bad.statusCode());
        assertTrue(text(bad).contains("after: '-1' is not a sequence number"), text(bad));
        assertEquals(400, send("GET", "/api/samples?after=x").statusCode());
    }

    @Test
    void onlyReadsAreServed() throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            for (String path : List.of("/", "/api/samples")) {
                HttpResponse<byte[]> r = send(method, path);
                assertEquals(405, r.statusCode(), method + " " + path);
                assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElseThrow());
            }
        }
        HttpResponse<byte[]> head = send("HEAD", "/api/samples");
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        assertEquals(1, history.after(0).entries().size(), "nothing was written by any request");
    }

    @Test
    void nothingOutsideThePageAndUPlotCanBeRead() throws Exception {
        assertEquals(404, send("GET", "/nothing").statusCode());
        assertEquals(404, send("GET", "/webjars/uplot/%2e%2e/%2e%2e/maven/org.webjars.npm/uplot/pom.xml").statusCode());
        assertEquals(404, send("GET", "/webjars/uplot/" + UPlotWebJar.version() + "/dist/..%2f..%2fpackage.json")
                .statusCode());
        assertEquals(404, send("GET", "/dev/sextant/web/page.html").statusCode());
        assertEquals(404, send("GET", "/webjars/uplot/" + UPlotWebJar.version() + "/dist/missing.js").statusCode());
    }

    @Test
    void metricsAreStillServedBesideThePage() throws Exception {
        HttpResponse<byte[]> r = send("GET", "/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(text(r).contains("sextant_weight_norm{layer=\"0\",model=\"mlp\",param=\"W\",run=\"r1\"} 3.25"), text(r));
        assertEquals(server.rootUrl(), base + "/");
    }
}
