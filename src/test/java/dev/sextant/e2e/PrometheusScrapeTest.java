package dev.sextant.e2e;

import dev.sextant.dl4j.SextantListener;
import io.micrometer.core.instrument.Gauge;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real Prometheus server scrapes a real DL4J training run through {@link SextantListener}'s
 * {@code /metrics}, and its query API gives back exactly what the listener last sampled.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PrometheusScrapeTest {
    private static final String RUN = "e2e";
    private static final String MODEL = "mlp";
    private static final String JOB = "sextant";
    private static final String SELECTOR = "{run=\"" + RUN + "\",model=\"" + MODEL + "\"}";
    private static final String W0 = "sextant_weight_norm{run=\"" + RUN + "\",model=\"" + MODEL
            + "\",layer=\"0\",param=\"W\"}";
    /** Scrapes Prometheus must have taken while training ran. */
    private static final int SCRAPES_DURING_TRAINING = 3;
    /**
     * Upper bound on training: Prometheus applies a new target list after up to 5 s, then scrapes
     * every second; 3 scrapes normally arrive within ~8 s of the start.
     */
    private static final long TRAINING_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(25);

    @TempDir
    Path dir;

    @Test
    void prometheusScrapesTrainingAndReturnsTheLastSampledValues() throws Exception {
        Path events = dir.resolve("events.jsonl");
        MultiLayerNetwork net = SmallClassifier.network(42, new Sgd(0.05));
        try (SextantListener sextant = SextantListener.builder().fixedIntervals().runId(RUN).model(MODEL).port(0).every(1)
                .eventLog(events).build();
             PrometheusProcess prometheus = PrometheusProcess.start(scrapeConfig(sextant.port()),
                     dir.resolve("prometheus"))) {
            try {
                net.addListeners(sextant);
                long steps = trainUntilScraped(net, prometheus);
                long trainingEnd = System.currentTimeMillis();
                awaitScrapeStartedAfter(prometheus, trainingEnd);

                // The scrape that started after the last fit() returned read the final gauges. The value
                // goes gauge double -> text exposition (Java's round-trip Double.toString) -> Prometheus
                // float64 (ParseFloat) -> JSON (shortest round-trip FormatFloat) -> parseDouble: lossless,
                // so the values agree exactly; 2 ulp leaves room only for a formatter printing 16 digits.
                // A value from an earlier step would differ by about the update norm (~1e-3 here).
                double expectedNorm = gauge(sextant, "sextant.weight.norm", "layer", "0", "param", "W");
                PrometheusProcess.Sample norm = single(prometheus, W0);
                assertEquals(expectedNorm, norm.value(), 2 * Math.ulp(expectedNorm), "weight norm of layer 0 W");
                assertEquals(RUN, norm.labels().get("run"));
                assertEquals(MODEL, norm.labels().get("model"));
                assertEquals(JOB, norm.labels().get("job"));
                assertEquals("127.0.0.1:" + sextant.port(), norm.labels().get("instance"));

                // The registry holds ||W|| of the network as training left it: ND4J reduces the float32
                // weights the same way both times, so they agree to float32 rounding (1e-6 relative).
                double networkNorm = net.getParam("0_W").norm2Number().doubleValue();
                assertEquals(networkNorm, norm.value(), 1e-6 * networkNorm, "Prometheus vs the network's own ||W||");

                // The event log's last weights line carries the same double (written with Double.toString).
                assertEquals(expectedNorm, lastLoggedValue(events, "weights", "sextant_weight_norm", "0", "W"),
                        2 * Math.ulp(expectedNorm), "event log vs Prometheus");

                // Loss and step: the last fit's score (same double, same lossless path) and iteration.
                double expectedLoss = gauge(sextant, "sextant.loss");
                assertEquals(net.score(), expectedLoss, 0.0, "registry loss is the network's score");
                assertEquals(expectedLoss, single(prometheus, "sextant_loss" + SELECTOR).value(),
                        2 * Math.ulp(expectedLoss), "loss");
                assertEquals(steps - 1, single(prometheus, "sextant_step" + SELECTOR).value(), 0.0,
                        "DL4J counts iterations from 0");

                // Prometheus saw training move, not one frozen value: several samples, rising steps.
                String window = "(sextant_step" + SELECTOR + "[1m])";
                double samples = single(prometheus, "count_over_time" + window).value();
                assertTrue(samples >= SCRAPES_DURING_TRAINING + 1, samples + " samples of sextant_step");
                double first = single(prometheus, "min_over_time" + window).value();
                double last = single(prometheus, "max_over_time" + window).value();
                assertTrue(first < last, "step went from " + first + " to " + last + " between scrapes");

                List<PrometheusProcess.Target> targets = prometheus.targets();
                assertEquals(1, targets.size(), targets::toString);
                PrometheusProcess.Target target = targets.get(0);
                assertEquals("up", target.health(), target::toString);
                assertEquals("", target.lastError());
                assertEquals(sextant.metricsUrl(), target.scrapeUrl());
                assertEquals(JOB, target.labels().get("job"));
                assertEquals(1.0, single(prometheus, "up{job=\"" + JOB + "\"}").value(), 0.0);
            } catch (Throwable t) {
                prometheus.printLog(System.err);
                throw t;
            }
        }
    }

    /** One job scraping the listener every second; storage and everything else in the temp dir. */
    private static String scrapeConfig(int listenerPort) {
        return """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: %s
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(JOB, listenerPort);
    }

    /**
     * Fits batches until Prometheus holds {@value #SCRAPES_DURING_TRAINING} samples of
     * {@code sextant_step}; returns the number of fit calls.
     */
    private static long trainUntilScraped(MultiLayerNetwork net, PrometheusProcess prometheus) throws Exception {
        List<DataSet> batches = SmallClassifier.batches(7, 16, 32);
        long start = System.nanoTime();
        long nextCheck = start;
        long steps = 0;
        while (true) {
            net.fit(batches.get((int) (steps++ % batches.size())));
            long now = System.nanoTime();
            if (now < nextCheck) {
                continue;
            }
            List<PrometheusProcess.Sample> count = prometheus.query("count_over_time(sextant_step" + SELECTOR + "[1m])");
            if (!count.isEmpty() && count.get(0).value() >= SCRAPES_DURING_TRAINING) {
                return steps;
            }
            if (now - start > TRAINING_LIMIT_NANOS) {
                fail("Prometheus took fewer than " + SCRAPES_DURING_TRAINING + " scrapes in "
                        + TimeUnit.NANOSECONDS.toSeconds(TRAINING_LIMIT_NANOS) + " s of training (" + steps
                        + " steps); targets: " + prometheus.targets());
            }
            nextCheck = now + TimeUnit.MILLISECONDS.toNanos(250);
        }
    }

    /** Waits until Prometheus holds a sample whose scrape started after {@code epochMillis}. */
    private static void awaitScrapeStartedAfter(PrometheusProcess prometheus, long epochMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        double latest = Double.NaN;
        while (System.nanoTime() < deadline) {
            List<PrometheusProcess.Sample> ts = prometheus.query("timestamp(sextant_step" + SELECTOR + ")");
            if (!ts.isEmpty()) {
                latest = ts.get(0).value();
                // Scrape timestamps are the scrape's start, in whole milliseconds.
                if (Math.round(latest * 1000) > epochMillis) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        fail("no scrape started after training ended at " + epochMillis + " ms; latest sample at " + latest + " s");
    }

    private static PrometheusProcess.Sample single(PrometheusProcess prometheus, String promql) throws Exception {
        List<PrometheusProcess.Sample> result = prometheus.query(promql);
        assertEquals(1, result.size(), () -> promql + " gave " + result);
        return result.get(0);
    }

    /** The current value of one of the listener's gauges with run/model labels plus {@code extraTags}. */
    private static double gauge(SextantListener sextant, String name, String... extraTags) {
        Gauge g = sextant.registry().get(name).tag("run", RUN).tag("model", MODEL).tags(extraTags).gauge();
        return g.value();
    }

    /** The value of {@code metric} for layer/param in the event log's last line of {@code probe}. */
    private static double lastLoggedValue(Path events, String probe, String metric, String layer, String param)
            throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(events);
        for (int i = lines.size() - 1; i >= 0; i--) {
            JsonNode line = json.readTree(lines.get(i));
            if (!probe.equals(line.path("probe").asText())) {
                continue;
            }
            for (JsonNode v : line.path("values")) {
                if (metric.equals(v.path("metric").asText()) && layer.equals(v.path("layer").asText())
                        && param.equals(v.path("param").asText())) {
                    return v.path("value").asDouble();
                }
            }
            fail("last " + probe + " line has no " + metric + " for " + layer + "/" + param + ": " + line);
        }
        throw new AssertionError("no " + probe + " line in " + events);
    }
}
