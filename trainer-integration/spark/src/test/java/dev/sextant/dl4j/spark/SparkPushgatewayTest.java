package dev.sextant.dl4j.spark;

import dev.sextant.e2e.PrometheusProcess;
import dev.sextant.e2e.ShippedPrometheusConfig;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dl4j-spark training in {@code local[2]} with Sextant attached, its executors pushing to a real
 * Pushgateway that a real Prometheus scrapes with the compose stack's configuration
 * ({@code docker/prometheus/prometheus.yml}: {@code honor_labels: true}) and rules.
 *
 * <p>The run: 24 mini-batches of 16 examples, 2 workers, averaging every 2 mini-batches, so 6
 * averaging rounds of 2 tasks (partitions) with 2 steps each: 12 partitions, 24 steps, 384 examples.
 * Those counts are exact, so the checks are equalities.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SparkPushgatewayTest {
    private static final int BATCHES = 24;
    private static final int PARTITIONS = BATCHES / SparkTraining.AVERAGING_FREQUENCY;
    /** Bound on the wait for the last push to be scraped (the stack scrapes every 5 s). */
    private static final Duration ARRIVAL = Duration.ofSeconds(30);

    @TempDir
    static Path work;
    private static PushgatewayProcess pushgateway;
    private static PrometheusProcess prometheus;
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() throws Exception {
        pushgateway = PushgatewayProcess.start(work.resolve("pushgateway"));
        // The compose stack's own configuration and rules, only the addresses changed.
        prometheus = ShippedPrometheusConfig.load().start(work.resolve("prometheus"), List.of(), pushgateway.target());
        sc = SparkTraining.localSpark();
    }

    @AfterAll
    static void stop() throws Exception {
        if (sc != null) {
            sc.stop();
        }
        if (prometheus != null) {
            prometheus.close();
        }
        if (pushgateway != null) {
            pushgateway.close();
        }
    }

    @Test
    void everyPartitionsMetricsArriveInPrometheusGroupedByApplicationAndExecutor() throws Exception {
        String run = "spark-pushgateway";
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, SparkTraining.mlp(), SparkTraining.trainingMaster());
        SparkSextant sextant = SparkSextant.attach(sparkNet, SparkSettings.pushingTo(pushgateway.url())
                .runId(run).model("mlp").every(1).fixedIntervals().pushInterval(Duration.ofSeconds(1)));
        sparkNet.fit(SparkTraining.data(sc, BATCHES));
        sextant.close();

        SparkRunSummary summary = sextant.summary();
        assertEquals(PARTITIONS, summary.partitions(), summary.toString());
        assertEquals(BATCHES, summary.steps(), summary.toString());
        assertEquals((long) BATCHES * SparkTraining.BATCH, summary.examples(), summary.toString());
        assertEquals(Set.of("driver"), summary.executors(), "local mode has one executor, the driver");

        String app = sc.sc().applicationId();
        String partitions = "sum(sextant_spark_partitions_trained_total{job=\"sextant-spark\",app=\"%s\",run=\"%s\"})"
                .formatted(app, run);
        awaitValue(partitions, PARTITIONS);
        awaitValue("sextant_spark_run_steps_total{job=\"sextant-spark\",app=\"%s\",run=\"%s\"}".formatted(app, run), BATCHES);
        awaitValue("sextant_spark_run_partitions_trained_total{app=\"%s\",run=\"%s\"}".formatted(app, run), PARTITIONS);
        awaitValue("sextant_spark_run_executors{app=\"%s\",run=\"%s\"}".formatted(app, run), 1);
        awaitValue("sextant_spark_run_finished{app=\"%s\",run=\"%s\"}".formatted(app, run), 1);

        // Per-worker series: labelled executor and worker (a task slot, 0 or 1 with two cores), finite.
        List<PrometheusProcess.Sample> losses = prometheus.query(
                "sextant_loss{job=\"sextant-spark\",app=\"%s\",run=\"%s\"}".formatted(app, run));
        assertFalse(losses.isEmpty(), "no sextant_loss from the executors");
        Set<String> workers = new TreeSet<>();
        for (PrometheusProcess.Sample s : losses) {
            assertEquals("driver", s.labels().get("executor"), s.labels().toString());
            assertEquals("mlp", s.labels().get("model"), s.labels().toString());
            assertTrue(Double.isFinite(s.value()) && s.value() > 0, s.labels() + " = " + s.value());
            workers.add(s.labels().get("worker"));
        }
        assertTrue(Set.of("0", "1").containsAll(workers) && !workers.isEmpty(),
                "worker labels must be task slots 0..1 with two cores, not task ids: " + workers);
        assertEquals(0, prometheus.query("sextant_loss{run=\"%s\",worker=\"\"}".formatted(run)).size(),
                "every per-worker series carries a worker label");
        assertEquals(List.of(), prometheus.query("ALERTS{run=\"%s\"}".formatted(run)), "no alert on a healthy run");
    }

    @Test
    void withThePushgatewayDownTrainingGoesOnAndTheEventLogsKeepEverySample(@TempDir Path logs) throws Exception {
        String run = "spark-pushgateway-down";
        String nowhere = "http://127.0.0.1:" + PrometheusProcess.freeLoopbackPort();
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, SparkTraining.mlp(), SparkTraining.trainingMaster());
        SparkSextant sextant = SparkSextant.attach(sparkNet, SparkSettings.pushingTo(nowhere)
                .runId(run).model("mlp").every(1).fixedIntervals().eventLogDir(logs.toString()));
        MultiLayerNetwork trained = sparkNet.fit(SparkTraining.data(sc, BATCHES));
        sextant.close();

        assertTrue(Double.isFinite(trained.score()), "training finished");
        assertEquals(BATCHES, sextant.summary().steps());
        // One progress sample per step (every 1), in the logs of the worker slots.
        long progress = 0;
        try (Stream<Path> files = Files.list(logs)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                assertTrue(f.getFileName().toString().matches(run + "-executor-driver-worker-[01]\\.jsonl"), f.toString());
                progress += Files.readAllLines(f).stream().filter(l -> l.contains("\"probe\":\"progress\"")).count();
            }
        }
        assertEquals(BATCHES, progress, "every step's progress sample is in the event logs");
        double failures = ExecutorSextant.inThisJvm().stream()
                .filter(e -> e.runId().equals(run))
                .mapToDouble(e -> e.registry().get("sextant.spark.push.failures").counter().count()).sum();
        // Task-end pushes coalesce while one is pending, so there are at most as many as partitions.
        assertTrue(failures >= 1 && failures <= PARTITIONS + 1, "the failed pushes were counted: " + failures);
    }

    /** A ComputationGraph trained by SparkComputationGraph is watched the same way. */
    @Test
    void aComputationGraphIsWatchedToo() throws Exception {
        String run = "spark-graph";
        SparkComputationGraph sparkGraph = new SparkComputationGraph(sc, SparkTraining.graph(), SparkTraining.trainingMaster());
        SparkSextant sextant = SparkSextant.attach(sparkGraph, SparkSettings.pushingTo(pushgateway.url())
                .runId(run).model("graph").every(1).fixedIntervals());
        sparkGraph.fit(SparkTraining.data(sc, BATCHES));
        sextant.close();
        assertEquals(BATCHES, sextant.summary().steps(), sextant.summary().toString());
        // The executor's own count: its push (not only the driver's summary) has been scraped.
        awaitValue("sum(sextant_spark_partitions_trained_total{run=\"%s\"})".formatted(run), PARTITIONS);
        // Per-layer series are labelled with the graph's vertex names, one per worker slot.
        List<PrometheusProcess.Sample> hidden = prometheus.query(
                "sextant_weight_norm{run=\"%s\",layer=\"hidden\",param=\"W\"}".formatted(run));
        List<PrometheusProcess.Sample> losses = prometheus.query("sextant_loss{run=\"%s\"}".formatted(run));
        assertFalse(hidden.isEmpty(), "no weight norm of vertex 'hidden': "
                + prometheus.query("{run=\"%s\",layer!=\"\"}".formatted(run)));
        assertEquals(losses.size(), hidden.size(), "one series per worker slot: " + hidden);
        for (PrometheusProcess.Sample s : hidden) {
            assertTrue(Double.isFinite(s.value()) && s.value() > 0, s.toString());
        }
    }

    /** A Pushgateway PUT replaces its whole group: two runs of one application on one executor must not share one. */
    @Test
    void twoRunsOfOneApplicationOnOneExecutorKeepTheirOwnGroups() throws Exception {
        for (String run : List.of("group-a", "group-b")) {
            ExecutorSextant.of(SparkSettings.pushingTo(pushgateway.url()).runId(run).model("mlp"), "app-groups", "7", "host")
                    .pushSoon();
        }
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + ARRIVAL.toNanos();
        String metrics = "";
        while (System.nanoTime() < deadline) {
            metrics = http.send(HttpRequest.newBuilder(URI.create(pushgateway.url() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            if (metrics.contains("run=\"group-a\"") && metrics.contains("run=\"group-b\"")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("both runs' series should stay in the Pushgateway:\n" + metrics);
    }

    /** The README's metrics reference lists exactly the {@code sextant_spark_*} metrics the executors and the driver push. */
    @Test
    void readmeListsExactlyTheSparkMetrics() throws IOException {
        SparkSettings settings = SparkSettings.pushingTo(pushgateway.url()).runId("spark-readme").model("mlp");
        SparkSextant driver = SparkSextant.create(sc, settings);
        String scraped = driver.summaryRegistry().scrape(PushgatewayClient.TEXT_FORMAT)
                + ExecutorSextant.of(settings, "app", "executor", "host").registry().scrape(PushgatewayClient.TEXT_FORMAT);
        driver.close();
        Set<String> pushed = new TreeSet<>();
        Matcher type = Pattern.compile("(?m)^# TYPE (sextant_spark_[a-z0-9_]+) ").matcher(scraped);
        while (type.find()) {
            pushed.add(type.group(1));
        }
        String readme = Files.readString(ShippedPrometheusConfig.repositoryRoot().resolve("README.md"));
        String reference = readme.substring(readme.indexOf("## Metrics reference"));
        reference = reference.substring(0, reference.indexOf("\n## ", 5));
        Set<String> listed = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `(sextant_spark_[a-z0-9_]+)`").matcher(reference);
        while (row.find()) {
            listed.add(row.group(1));
        }
        assertTrue(pushed.size() >= 7, "reading the pushed metric names failed: " + pushed);
        assertEquals(pushed, listed, "README's metrics reference against what Sextant on Spark pushes");
    }

    private static void awaitValue(String promql, double expected) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + ARRIVAL.toNanos();
        List<PrometheusProcess.Sample> last = List.of();
        while (System.nanoTime() < deadline) {
            last = prometheus.query(promql);
            if (last.size() == 1 && last.get(0).value() == expected) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(promql + ": expected " + expected + " within " + ARRIVAL.toSeconds() + " s, got "
                + last + "\nPushgateway log:\n" + pushgateway.log());
    }
}
