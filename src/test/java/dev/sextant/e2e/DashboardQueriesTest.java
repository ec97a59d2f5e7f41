package dev.sextant.e2e;

import dev.sextant.dl4j.SextantListener;
import dev.sextant.dl4j.parallel.ParallelSextant;
import dev.sextant.schedule.Profile;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.shade.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every query of every shipped Grafana dashboard, run against a real Prometheus that scrapes a real
 * DL4J training run with the stack's own configuration ({@code docker/prometheus/prometheus.yml},
 * only the trainer's address changed) and rule files, returns at least one series with a finite
 * value. The queries are read from the dashboard JSON (panels nested in rows too), so a new panel is
 * covered without touching this test.
 *
 * <p>Three runs train at once, each with its own metrics endpoint (three targets of the trainer
 * job): one network with SGD, one with Adam, and a DL4J {@link ParallelWrapper} of 2 workers
 * (AVERAGING mode, averaging frequency 1) watched by {@link ParallelSextant}. Some metrics exist
 * for one optimizer only or are NaN for the other (the batch-sharpness ratio is NaN under Adam;
 * the preconditioned sharpness is NaN under SGD and its residual and product count are Adam's
 * alone), so only both together fill every panel; the Workers dashboard needs the per-worker series
 * (label {@code worker}) and the cross-worker noise scale ({@code sextant_worker_*}) of the
 * wrapper. The two single networks run the full profile at short fixed intervals so that every
 * probe samples within seconds; the wrapper's workers run the default profile every step, with the
 * worker noise scale every round.
 *
 * <p>Template variables are resolved as Grafana resolves them: each {@code label_values(...)}
 * query is asked of Prometheus in the dashboard's order, every value it finds is selected, and the
 * selection is written into the expressions in Grafana's multi-value format. Each expression is
 * also run with the selection saved in the dashboard ("All"), which catches a panel that compares
 * a multi-valued variable with {@code =} instead of {@code =~}.
 *
 * <p>The alert annotations ({@code ALERTS{alertstate="firing"}}) cannot have data in a healthy
 * run: here they must be valid queries that return nothing, and no alert may fire.
 * {@link EdgeOfStabilityAlertTest} shows them returning a firing alert. The worker comparisons the
 * worker alerts use are recorded for the wrapper's two workers and for no single-process run.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DashboardQueriesTest {
    private static final String RUN_SGD = "dashboards-sgd";
    private static final String RUN_ADAM = "dashboards-adam";
    private static final String RUN_PARALLEL = "dashboards-parallel";
    private static final int WORKERS = 2;
    private static final String MODEL = "mlp";
    /**
     * Bound on the wait for every panel to have data. Needed: Prometheus' first scrapes (one scrape
     * interval, 5 s as shipped, plus its start-up offset) and a second scrape for rate() and
     * increase(); the slowest probe samples every 4 steps, well under a second. Normally ~15 s.
     */
    private static final Duration DATA_DEADLINE = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    @Test
    void everyDashboardQueryReturnsFiniteDataFromARealTrainingRun() throws Exception {
        ShippedPrometheusConfig config = ShippedPrometheusConfig.load();
        List<GrafanaDashboard> dashboards = GrafanaDashboard.loadAll(
                ShippedPrometheusConfig.repositoryRoot().resolve("dashboards/grafana/dashboards"));
        assertFalse(dashboards.isEmpty(), "no dashboards found");
        List<DataSet> batches = SmallClassifier.batches(11, 8, 32);
        MultiLayerNetwork sgdNet = SmallClassifier.network(7, new Sgd(0.05));
        MultiLayerNetwork adamNet = SmallClassifier.network(7, new Adam(1e-3));
        ParallelWrapper wrapper = new ParallelWrapper.Builder<>(SmallClassifier.network(7, new Sgd(0.05)))
                .workers(WORKERS).averagingFrequency(1).prefetchBuffer(0)
                .trainingMode(ParallelWrapper.TrainingMode.AVERAGING).build();
        long start = System.nanoTime();
        try (SextantListener sgd = listener(RUN_SGD, dir.resolve("sgd.jsonl"));
             SextantListener adam = listener(RUN_ADAM, dir.resolve("adam.jsonl"));
             ParallelSextant parallel = ParallelSextant.attach(wrapper, b -> b.runId(RUN_PARALLEL).model(MODEL)
                     .port(0).eventLog(dir.resolve("parallel.jsonl")).profile(Profile.DEFAULT).fixedIntervals()
                     .every(1), 1);
             PrometheusProcess prometheus = config.start(dir.resolve("prometheus"),
                     List.of(sgd.port(), adam.port(), parallel.rootListener().port()))) {
            sgdNet.addListeners(sgd);
            adamNet.addListeners(adam);
            Map<String, String> instanceOfRun = Map.of(RUN_SGD, "127.0.0.1:" + sgd.port(),
                    RUN_ADAM, "127.0.0.1:" + adam.port(), RUN_PARALLEL, "127.0.0.1:" + parallel.rootListener().port());
            // The wrapper's pause is per batch: 10 ms per batch, 20 ms per round of both workers, as the loop's.
            try (TrainingLoop training = TrainingLoop.start(Duration.ofMillis(20),
                    stepper(sgdNet, batches), stepper(adamNet, batches));
                 WrapperTraining workers = WrapperTraining.start(wrapper, batches, Duration.ofMillis(10))) {
                List<Check> checks = awaitData(prometheus, dashboards, config, training, workers);
                System.out.printf("DashboardQueriesTest: %d queries of %d dashboards answered after %.1f s, "
                        + "%d training rounds, %d batches over %d ParallelWrapper workers%n", checks.size(),
                        dashboards.size(), (System.nanoTime() - start) / 1e9, training.rounds(), workers.batches(),
                        WORKERS);

                assertVariablesFindEveryRun(checks, config.trainerJob(), instanceOfRun);
                List<String> empty = new ArrayList<>();
                for (Check c : checks) {
                    if (c.finite() == 0) {
                        empty.add(c.describe());
                    }
                }
                assertTrue(empty.isEmpty(), "dashboard queries without a finite series after "
                        + DATA_DEADLINE.toSeconds() + " s of training:\n" + String.join("\n", empty));

                assertSavedSelectionAnswers(prometheus, dashboards, config);
                reportWhichRunFillsEachQuery(prometheus, dashboards, config, instanceOfRun);
                assertAnnotationsValidAndNoAlertFires(prometheus, dashboards, checks, config);
                assertWorkersComparedOnlyWithinTheWrapperRun(prometheus);
            } catch (Throwable t) {
                prometheus.printLog(System.err);
                throw t;
            }
        }
    }

    /** One panel query with every variable set to all values it has, and what Prometheus answered. */
    private record Check(GrafanaDashboard.Query query, Map<String, List<String>> selection, String promql,
                         List<PrometheusProcess.Sample> result, long finite) {
        String describe() {
            return "  " + query + "\n    ran: " + promql + "\n    got: " + (result.isEmpty() ? "no series"
                    : result.size() + " series, values " + result.stream().map(s -> Double.toString(s.value()))
                    .collect(Collectors.joining(", ")));
        }
    }

    /** Polls every panel query until each has a finite series or the deadline passes; returns the last round. */
    private static List<Check> awaitData(PrometheusProcess prometheus, List<GrafanaDashboard> dashboards,
                                         ShippedPrometheusConfig config, TrainingLoop training,
                                         WrapperTraining workers) throws Exception {
        long deadline = System.nanoTime() + DATA_DEADLINE.toNanos();
        while (true) {
            training.assertAlive();
            workers.assertAlive();
            List<Check> checks = new ArrayList<>();
            for (GrafanaDashboard d : dashboards) {
                Map<String, List<String>> selection = d.selectEveryValue(prometheus);
                for (GrafanaDashboard.Query q : d.panelQueries()) {
                    checks.add(check(prometheus, d, q, selection, config));
                }
            }
            boolean complete = checks.stream().allMatch(c -> c.finite() > 0) && !checks.isEmpty();
            if (complete || System.nanoTime() > deadline) {
                return checks;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static Check check(PrometheusProcess prometheus, GrafanaDashboard d, GrafanaDashboard.Query q,
                               Map<String, List<String>> selection, ShippedPrometheusConfig config) throws Exception {
        String promql;
        try {
            promql = GrafanaDashboard.interpolate(q.expr(), d.variables(), selection, config.scrapeInterval());
        } catch (AssertionError noValueYet) {
            // A variable found no value (yet): Grafana would show "No data" for the panel.
            return new Check(q, selection, noValueYet.getMessage(), List.of(), 0);
        }
        List<PrometheusProcess.Sample> result = prometheus.query(promql);
        long finite = result.stream().filter(s -> Double.isFinite(s.value())).count();
        return new Check(q, selection, promql, result, finite);
    }

    private static void assertVariablesFindEveryRun(List<Check> checks, String job, Map<String, String> instanceOfRun) {
        assertFalse(checks.isEmpty(), "the dashboards have no panel queries");
        for (Check c : checks) {
            Map<String, List<String>> s = c.selection();
            String where = c.query().dashboard() + " variables " + s;
            assertEquals(List.of(job), s.get("job"), where + ": $job should find the trainer job of prometheus.yml");
            assertEquals(new TreeSet<>(instanceOfRun.values()), new TreeSet<>(s.getOrDefault("instance", List.of())),
                    where + ": $instance should find every metrics endpoint");
            assertEquals(new TreeSet<>(instanceOfRun.keySet()), new TreeSet<>(s.getOrDefault("run", List.of())),
                    where + ": $run should find every run");
            // Two layers (dense, output) with per-layer series; "all" rows of the noise metrics may add a value.
            assertTrue(s.getOrDefault("layer", List.of()).containsAll(List.of("0", "1")), where
                    + ": $layer should find layers 0 and 1");
        }
    }

    /** The same queries with the variables as saved in each dashboard (a person opening it sees this). */
    private static void assertSavedSelectionAnswers(PrometheusProcess prometheus, List<GrafanaDashboard> dashboards,
                                                    ShippedPrometheusConfig config) throws Exception {
        List<String> empty = new ArrayList<>();
        for (GrafanaDashboard d : dashboards) {
            Map<String, List<String>> saved = d.savedSelection();
            for (GrafanaDashboard.Query q : d.panelQueries()) {
                Check c = check(prometheus, d, q, saved, config);
                if (c.finite() == 0) {
                    empty.add(c.describe());
                }
            }
        }
        assertTrue(empty.isEmpty(), "with the selection saved in the dashboards, queries without a finite series:\n"
                + String.join("\n", empty));
    }

    /**
     * Prints, for each query, which run (optimizer, or the ParallelWrapper) gives it a finite value,
     * with $run and $instance narrowed to that run: the panels that need one particular run to show
     * anything stand out.
     */
    private static void reportWhichRunFillsEachQuery(PrometheusProcess prometheus, List<GrafanaDashboard> dashboards,
                                                     ShippedPrometheusConfig config, Map<String, String> instanceOfRun)
            throws Exception {
        StringBuilder report = new StringBuilder("DashboardQueriesTest: runs with a finite value per query\n");
        for (GrafanaDashboard d : dashboards) {
            Map<String, List<String>> all = d.selectEveryValue(prometheus);
            for (GrafanaDashboard.Query q : d.panelQueries()) {
                List<String> filled = new ArrayList<>();
                for (Map.Entry<String, String> run : instanceOfRun.entrySet()) {
                    Map<String, List<String>> one = new LinkedHashMap<>(all);
                    one.put("run", List.of(run.getKey()));
                    one.put("instance", List.of(run.getValue()));
                    if (check(prometheus, d, q, one, config).finite() > 0) {
                        filled.add(run.getKey());
                    }
                }
                filled.sort(null);
                report.append(String.format("  %-40s %-62s %s %s%n", d.file(), q.owner(), q.refId(),
                        filled.size() == instanceOfRun.size() ? "all" : filled.isEmpty() ? "NONE" : "only " + filled));
            }
        }
        System.out.print(report);
    }

    /**
     * The annotation queries are valid PromQL with the variables substituted, and in this healthy
     * run they return nothing: no alert of the shipped rules fires.
     */
    private static void assertAnnotationsValidAndNoAlertFires(PrometheusProcess prometheus,
                                                              List<GrafanaDashboard> dashboards, List<Check> checks,
                                                              ShippedPrometheusConfig config) throws Exception {
        int annotations = 0;
        for (GrafanaDashboard d : dashboards) {
            Map<String, List<String>> selection = checks.stream().filter(c -> c.query().dashboard().equals(d.file()))
                    .findFirst().map(Check::selection).orElseThrow();
            for (GrafanaDashboard.Query q : d.annotationQueries()) {
                annotations++;
                String promql = GrafanaDashboard.interpolate(q.expr(), d.variables(), selection, config.scrapeInterval());
                // query() fails on a PromQL error; an empty answer is the healthy one.
                List<PrometheusProcess.Sample> result = prometheus.query(promql);
                assertEquals(List.of(), result, q + " (ran " + promql + "): a healthy run fires no alert");
            }
        }
        assertTrue(annotations > 0, "the dashboards have no alert annotation");
        // "No alert" is an answer only once every rule group has been evaluated on the run's data.
        awaitRuleEvaluationAfter(prometheus, Instant.now(), config.evaluationInterval());
        assertEquals(List.of(), prometheus.query("ALERTS"), "alerts pending or firing in a healthy run");
    }

    /**
     * The worker rules of {@code workers.rules.yml} on real series: each comparison is recorded for
     * the wrapper's two workers, finite, and for no single-process run (they have no worker label).
     * Called after every rule group has been evaluated on the run's data.
     */
    private static void assertWorkersComparedOnlyWithinTheWrapperRun(PrometheusProcess prometheus) throws Exception {
        for (String recorded : List.of("sextant:worker_loss:ln_ratio_to_others_5m",
                "sextant:worker_gradient_norm:ln_ratio_to_others_5m")) {
            List<PrometheusProcess.Sample> result = prometheus.query(recorded);
            Map<String, Double> factorOfWorker = new TreeMap<>();
            for (PrometheusProcess.Sample s : result) {
                assertEquals(RUN_PARALLEL, s.labels().get("run"), recorded + " of a run that has no workers: " + s);
                assertTrue(Double.isFinite(s.value()), recorded + " is not finite: " + s);
                factorOfWorker.put(s.labels().get("worker"), Math.exp(s.value()));
            }
            assertEquals(List.of("0", "1"), new ArrayList<>(factorOfWorker.keySet()), recorded + ": " + result);
            System.out.printf("DashboardQueriesTest: %s, worker / other workers: %s%n", recorded, factorOfWorker);
        }
    }

    /** Waits until every rule group's last evaluation is later than {@code after} (at most two intervals). */
    private static void awaitRuleEvaluationAfter(PrometheusProcess prometheus, Instant after, Duration interval)
            throws Exception {
        long deadline = System.nanoTime() + interval.multipliedBy(2).plusSeconds(5).toNanos();
        while (true) {
            List<String> stale = new ArrayList<>();
            for (JsonNode g : prometheus.api("rules", Map.of()).path("groups")) {
                if (!Instant.parse(g.path("lastEvaluation").asText()).isAfter(after)) {
                    stale.add(g.path("name").asText() + " at " + g.path("lastEvaluation").asText());
                }
            }
            if (stale.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("rule groups not evaluated since " + after + ": " + stale);
            }
            Thread.sleep(500);
        }
    }

    private static SextantListener listener(String run, Path events) {
        return SextantListener.builder().runId(run).model(MODEL).port(0).eventLog(events)
                .profile(Profile.FULL).fixedIntervals().every(1).noiseEvery(2).sharpnessEvery(4).traceEvery(4)
                .build();
    }

    private static Runnable stepper(MultiLayerNetwork net, List<DataSet> batches) {
        int[] next = {0};
        return () -> net.fit(batches.get(next[0]++ % batches.size()));
    }
}
