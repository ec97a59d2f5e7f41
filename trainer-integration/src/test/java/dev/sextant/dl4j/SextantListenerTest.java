package dev.sextant.dl4j;

import dev.sextant.probe.drift.WeightGeometryProbe;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The listener attached to real networks: what /metrics and the event log say after training. */
class SextantListenerTest {

    @TempDir
    Path dir;

    @Test
    void metricsEndpointServesPerLayerNormsOfTheFinalParameters() throws Exception {
        MultiLayerNetwork net = TinyNets.mlp(1);
        try (SextantListener sextant = SextantListener.builder().fixedIntervals().runId("t1").model("mlp").port(0).every(1)
                .eventLog(dir.resolve("events.jsonl")).build()) {
            net.addListeners(sextant);
            for (DataSet ds : TinyNets.batches(2, 12, 16)) {
                net.fit(ds);
            }
            String text = scrape(sextant.metricsUrl());
            // Help text and type lines are present for the per-layer metric.
            assertTrue(text.contains("# HELP sextant_weight_norm "), text);
            assertTrue(text.contains("# TYPE sextant_weight_norm gauge"), text);
            // The scrape shows the last sample, taken after the last update: it equals ||W|| of the
            // network now. The gauge text has ~17 significant digits; the norm is reduced in float32
            // by ND4J both times, so they agree to float32 rounding (1e-6 relative).
            for (String p : List.of("W", "b")) {
                double expected = net.getParam("0_" + p).norm2Number().doubleValue();
                double served = value(text, "sextant_weight_norm", "0", p);
                assertEquals(expected, served, 1e-6 * expected, "layer 0 " + p);
            }
            double loss = value(text, "sextant_loss", null, null);
            assertEquals(net.score(), loss, 1e-6 * Math.abs(loss));
            assertEquals(11, value(text, "sextant_step", null, null));
            assertTrue(text.contains("sextant_update_ratio{"), "unit suffix _ratio on the update ratio");
            assertTrue(text.contains("sextant_probe_duration_seconds{"), "probe timing in seconds");
        }
    }

    @Test
    void eventLogHasOneLinePerProbeAndSampledStep() throws Exception {
        MultiLayerNetwork net = TinyNets.mlp(1);
        Path log = dir.resolve("e.jsonl");
        try (SextantListener sextant = SextantListener.builder().fixedIntervals().runId("t2").port(-1).every(5)
                .eventLog(log).build()) {
            net.addListeners(sextant);
            for (DataSet ds : TinyNets.batches(3, 12, 8)) {
                net.fit(ds);
            }
        }
        List<String> lines = Files.readAllLines(log);
        // steps 0, 5, 10 sampled; two default probes (progress, weights) each.
        assertEquals(6, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("{\"event\":\"sample\",\"run\":\"t2\",\"model\":\"model\",\"step\":0,"));
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"step\":10,") && l.contains("\"probe\":\"weights\"")));
    }

    @Test
    void worksOnComputationGraphWithAdam() throws Exception {
        ComputationGraph g = TinyNets.graph(4, new Adam(1e-2));
        try (SextantListener sextant = SextantListener.builder().fixedIntervals().runId("t3").model("cg").port(0).every(1)
                .eventLog(null).build()) {
            g.addListeners(sextant);
            for (DataSet ds : TinyNets.batches(5, 6, 16)) {
                g.fit(ds);
            }
            String text = scrape(sextant.metricsUrl());
            double expected = g.getParam("hidden_W").norm2Number().doubleValue();
            assertEquals(expected, value(text, "sextant_weight_norm", "hidden", "W"), 1e-6 * expected);
            assertEquals(1e-2, value(text, "sextant_learning_rate", null, null), 1e-12);
        }
    }

    @Test
    void updateRatioIsTheAppliedUpdateOverTheWeights() {
        // SGD with lr 0.1: the applied update is exactly lr * (mean raw gradient), so
        // ||update|| / (lr ||raw gradient||) = 1 up to float32 rounding of the two paths (1e-5).
        MultiLayerNetwork net = TinyNets.mlp(6, new Sgd(0.1), 0);
        CapturingSink sink = new CapturingSink();
        try (SextantListener sextant = SextantListener.builder().fixedIntervals().runId("t4").port(-1).every(1).eventLog(null)
                .sink(sink).build()) {
            net.addListeners(sextant);
            for (DataSet ds : TinyNets.batches(7, 4, 16)) {
                net.fit(ds);
            }
            var last = sink.last("weights");
            assertNotNull(last);
            double update = last.value(WeightGeometryProbe.UPDATE_NORM, "0", "W");
            double grad = last.value(WeightGeometryProbe.GRADIENT_NORM, "0", "W");
            assertEquals(1.0, update / (0.1 * grad), 1e-5);
            double cosine = last.value(WeightGeometryProbe.UPDATE_COSINE, WeightGeometryProbe.ALL, WeightGeometryProbe.ALL);
            assertTrue(cosine > -1.0000001 && cosine < 1.0000001, "cosine " + cosine);
        }
    }

    static String scrape(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    /** The value of the series of {@code name} with the given layer/param labels (null: none). */
    static double value(String text, String name, String layer, String param) {
        Pattern p = Pattern.compile("^" + name + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
        Matcher m = p.matcher(text);
        while (m.find()) {
            String labels = m.group(1);
            boolean hasLayer = labels.contains("layer=");
            if (layer == null ? !hasLayer
                    : labels.contains("layer=\"" + layer + "\"") && labels.contains("param=\"" + param + "\"")) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("no series " + name + " layer=" + layer + " param=" + param + " in\n" + text);
    }
}
