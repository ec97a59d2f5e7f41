package dev.sextant.dl4j.spark;

import dev.sextant.e2e.GrafanaDashboard;
import dev.sextant.e2e.PrometheusProcess;
import dev.sextant.e2e.ShippedPrometheusConfig;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped Workers dashboard shows Spark workers: every panel query of
 * {@code dashboards/grafana/dashboards/sextant-workers.json}, with $run set to a Spark run and the
 * other variables to every value Prometheus has (as Grafana resolves them), returns finite data
 * from a real dl4j-spark run in {@code local[2]} pushed through a real Pushgateway and scraped with
 * the stack's configuration. The exceptions are the panels of ParallelWrapper's cross-worker noise
 * scale ({@code sextant_worker_*}), which Spark does not produce.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SparkWorkersDashboardTest {
    private static final String RUN = "spark-dashboard";
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void everyWorkersPanelHasFiniteDataFromASparkRun(@TempDir Path work) throws Exception {
        ShippedPrometheusConfig config = ShippedPrometheusConfig.load();
        GrafanaDashboard workers = GrafanaDashboard.loadAll(
                        ShippedPrometheusConfig.repositoryRoot().resolve("dashboards/grafana/dashboards")).stream()
                .filter(d -> d.file().equals("sextant-workers.json")).findFirst().orElseThrow();
        try (PushgatewayProcess pushgateway = PushgatewayProcess.start(work.resolve("pushgateway"));
             PrometheusProcess prometheus = config.start(work.resolve("prometheus"), List.of(), pushgateway.target());
             JavaSparkContext sc = SparkTraining.localSpark()) {
            SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, SparkTraining.mlp(), SparkTraining.trainingMaster());
            SparkSextant sextant = SparkSextant.create(sc, SparkSettings.pushingTo(pushgateway.url())
                    .runId(RUN).model("mlp").every(1).fixedIntervals().pushInterval(Duration.ofSeconds(1)));
            // 30 ms a step: the two tasks of a round overlap, so both worker slots of the executor train.
            sparkNet.setListeners(sextant.listener(), new SlowStepListener(30));
            sparkNet.fit(SparkTraining.data(sc, 24));
            sextant.close();

            List<String> empty = new ArrayList<>();
            Set<String> executors = new TreeSet<>();
            int checked = 0;
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            do {
                empty.clear();
                executors.clear();
                checked = 0;
                Map<String, List<String>> selection = new LinkedHashMap<>(workers.selectEveryValue(prometheus));
                selection.put("run", List.of(RUN));
                for (GrafanaDashboard.Query q : workers.panelQueries()) {
                    if (q.expr().contains("sextant_worker_")) {
                        continue; // ParallelWrapper's cross-worker noise scale
                    }
                    checked++;
                    String promql;
                    try {
                        promql = GrafanaDashboard.interpolate(q.expr(), workers.variables(), selection,
                                config.scrapeInterval());
                    } catch (AssertionError noValueYet) { // a variable has no value before the first scrape
                        empty.add(q + "\n    " + noValueYet.getMessage());
                        continue;
                    }
                    List<PrometheusProcess.Sample> result = prometheus.query(promql);
                    if (result.stream().noneMatch(s -> Double.isFinite(s.value()))) {
                        empty.add(q + "\n    ran: " + promql + "\n    got: " + result);
                    }
                    result.forEach(s -> {
                        if (s.labels().containsKey("executor")) {
                            executors.add(s.labels().get("executor") + "/" + s.labels().get("worker"));
                        }
                    });
                }
                if (empty.isEmpty()) {
                    break;
                }
                Thread.sleep(1000);
            } while (System.nanoTime() < deadline);
            assertTrue(checked >= 10, "the Workers dashboard should have its per-worker panels: " + checked);
            assertTrue(empty.isEmpty(), "Workers panels without a finite series for the Spark run:\n"
                    + String.join("\n", empty));
            assertEquals(Set.of("driver/0", "driver/1"), executors,
                    "per-worker panels show both worker slots of the (local-mode) executor");
        }
    }
}
