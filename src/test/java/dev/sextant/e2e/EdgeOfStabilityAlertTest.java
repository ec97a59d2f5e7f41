package dev.sextant.e2e;

import dev.sextant.dl4j.SextantListener;
import dev.sextant.schedule.Profile;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.shade.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The shipped alert {@code SextantEdgeOfStabilityCrossed} ({@code sextant_edge_of_stability_ratio > 1}
 * for its {@code for} window, dashboards/prometheus/training.rules.yml) fires in a real Prometheus,
 * configured as the compose stack's ({@code docker/prometheus/prometheus.yml}, only the trainer's
 * address changed), for a real DL4J run trained past the stability threshold, while a stable run
 * scraped by the same Prometheus over the same time never makes it pending.
 *
 * <p>The runs are full-batch gradient descent on a linear model (one {@code OutputLayer}, identity
 * activation, MSE). Its Hessian is constant: with DL4J's {@code LossMSE} (Σ_k (ŷ−y)²/nOut averaged
 * over rows, no ½) it is {@code (2/nOut)·(I ⊗ C)}, {@code C = (1/N) Σ x̃x̃ᵀ}, {@code x̃ = [x; 1]}
 * (DESIGN.md §2), so λ_max = (2/nOut)·λ_max(C) wherever the weights go. The SGD threshold is 2/η
 * (Cohen et al. 2021), so the ratio is the constant λ_max·η/2; choosing η sets it to 1.5 (unstable)
 * or 0.5 (stable). Above the threshold plain gradient descent would grow along the top eigenvector
 * by |1 − ηλ_max| = 2 per step and overflow to NaN within ~1000 steps (and NaN > 1 is false, which
 * would silence the alert); DL4J's element-wise gradient clipping bounds every step by η·c, so the
 * run oscillates at a bounded loss for as long as it trains while the ratio stays at 1.5.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class EdgeOfStabilityAlertTest {
    private static final String ALERT = "SextantEdgeOfStabilityCrossed";
    private static final String RUN_UNSTABLE = "eos-unstable";
    private static final String RUN_STABLE = "eos-stable";
    private static final String MODEL = "linear";
    private static final double UNSTABLE_RATIO = 1.5;
    private static final double STABLE_RATIO = 0.5;
    private static final int N_IN = 4;
    private static final int N_OUT = 2;
    private static final int ROWS = 64;
    /** |gradient element| bound; keeps the unstable run's oscillation finite. */
    private static final double CLIP = 1.0;
    /**
     * The probes' relative error on this quadratic. Central differences of the gradient have no
     * truncation error on a quadratic, only rounding: about u/s with the default float64 step
     * s = u^{1/3} ≈ 5e-6 relative, i.e. ~2e-11. Lanczos starts each sample from the previous
     * sample's top eigenvector, which for a constant Hessian converges to the exact one: after a few
     * samples its first Ritz value is λ_max up to that rounding (measured: 1e-12 to 6e-12). 1e-6
     * leaves four orders of margin and still fails a wrong factor, a wrong threshold or a run that
     * drifted off its batch.
     */
    private static final double PROBE_TOLERANCE = 1e-6;
    /** Steps both runs make before the measured values are compared: ten sharpness samples at every 5 steps. */
    private static final int WARM_STEPS = 50;

    @TempDir
    Path dir;

    @Test
    void unstableRunFiresTheAlertAndStableRunStaysSilent() throws Exception {
        ShippedPrometheusConfig config = ShippedPrometheusConfig.load();
        JsonNode rule = config.alertRule(ALERT);
        assertEquals("sextant_edge_of_stability_ratio > 1", rule.path("expr").asText().trim(),
                "the test drives the ratio; a changed expression needs a changed test");
        Duration forWindow = ShippedPrometheusConfig.duration(rule.path("for").asText());
        Duration evaluation = config.evaluationInterval();
        Duration scrape = config.scrapeInterval();

        DataSet batch = batch(5);
        double lambdaMax = closedFormLambdaMax(batch.getFeatures());
        double etaUnstable = 2 * UNSTABLE_RATIO / lambdaMax;   // λ_max·η/2 = 1.5
        double etaStable = 2 * STABLE_RATIO / lambdaMax;       // λ_max·η/2 = 0.5
        MultiLayerNetwork unstableNet = linearNetwork(etaUnstable);
        MultiLayerNetwork stableNet = linearNetwork(etaStable);

        long start = System.nanoTime();
        try (SextantListener unstable = listener(RUN_UNSTABLE, dir.resolve("unstable.jsonl"));
             SextantListener stable = listener(RUN_STABLE, dir.resolve("stable.jsonl"));
             PrometheusProcess prometheus = config.start(dir.resolve("prometheus"),
                     List.of(unstable.port(), stable.port()))) {
            unstableNet.addListeners(unstable);
            stableNet.addListeners(stable);
            try (TrainingLoop training = TrainingLoop.start(Duration.ofMillis(20),
                    () -> unstableNet.fit(batch), () -> stableNet.fit(batch))) {
                assertEquals((double) forWindow.toSeconds(), loadedRule(prometheus).path("duration").asDouble(), 0.0,
                        "Prometheus loaded the rule with the shipped `for`");

                // The probes see the closed-form curvature and the thresholds 2/η.
                awaitScraped(prometheus, "min(sextant_step{run=~\"eos-.*\"}) >= " + WARM_STEPS
                        + " and on () count(sextant_edge_of_stability_ratio{run=~\"eos-.*\"}) == 2", training,
                        scrape.multipliedBy(4));
                assertMeasured(prometheus, RUN_UNSTABLE, lambdaMax, etaUnstable, UNSTABLE_RATIO);
                assertMeasured(prometheus, RUN_STABLE, lambdaMax, etaStable, STABLE_RATIO);

                // Pending at the first evaluation that sees the ratio, firing once it held for the window.
                Duration limit = forWindow.plus(evaluation.multipliedBy(2)).plus(scrape.multipliedBy(2))
                        .plusSeconds(20);
                JsonNode firing = awaitFiring(prometheus, training, limit);
                double firedAfter = (System.nanoTime() - start) / 1e9;

                assertEquals(RUN_UNSTABLE, firing.path("labels").path("run").asText());
                assertEquals(MODEL, firing.path("labels").path("model").asText());
                assertEquals(config.trainerJob(), firing.path("labels").path("job").asText());
                assertEquals("127.0.0.1:" + unstable.port(), firing.path("labels").path("instance").asText());
                assertEquals("warning", firing.path("labels").path("severity").asText());
                assertEquals(UNSTABLE_RATIO, firing.path("value").asDouble(), UNSTABLE_RATIO * PROBE_TOLERANCE,
                        "the alert's value is the ratio");
                Instant activeAt = Instant.parse(firing.path("activeAt").asText());
                assertFalse(activeAt.plus(forWindow).isAfter(Instant.now()), "fired before the `for` window passed: "
                        + "active since " + activeAt);

                // Over the whole time: the unstable ratio never dipped to 1 or below, the stable one never rose
                // to 1, both were scraped all along, and neither run's loss went non-finite.
                String window = "[" + (long) Math.ceil(firedAfter) + "s]";
                assertTrue(value(prometheus, "min_over_time(" + ratio(RUN_UNSTABLE) + window + ")") > 1);
                assertTrue(value(prometheus, "max_over_time(" + ratio(RUN_STABLE) + window + ")") < 1);
                double scrapes = forWindow.toSeconds() / (double) scrape.toSeconds();
                assertTrue(value(prometheus, "count_over_time(" + ratio(RUN_STABLE) + window + ")") >= scrapes,
                        "the stable run was watched over the whole window");
                assertEquals(List.of(), prometheus.query("ALERTS{alertname=\"" + ALERT + "\", run=\"" + RUN_STABLE
                        + "\"}"), "the stable run's alert");
                assertEquals(List.of(), prometheus.query("count_over_time(ALERTS{alertname=\"" + ALERT
                        + "\", run=\"" + RUN_STABLE + "\"}" + window + ")"), "the stable run was never pending");
                assertEquals(List.of(), prometheus.query("ALERTS{alertname=\"SextantLossNonFinite\"}"),
                        "the clipped unstable run's loss stays finite");
                assertTrue(Double.isFinite(unstableNet.score()), "unstable loss " + unstableNet.score());
                // Both runs were fully probed: the full profile's probes never failed on them.
                assertEquals(0.0, value(prometheus, "sum(sextant_probe_failures_total{run=~\"eos-.*\"})"), 0.0,
                        "probe failures");

                assertDashboardAnnotationsShowTheAlert(prometheus, config, unstable.port());
                System.out.printf("EdgeOfStabilityAlertTest: loss over the window: unstable %.4g..%.4g, stable "
                                + "%.4g..%.4g%n",
                        value(prometheus, "min_over_time(sextant_loss{run=\"" + RUN_UNSTABLE + "\"}" + window + ")"),
                        value(prometheus, "max_over_time(sextant_loss{run=\"" + RUN_UNSTABLE + "\"}" + window + ")"),
                        value(prometheus, "min_over_time(sextant_loss{run=\"" + RUN_STABLE + "\"}" + window + ")"),
                        value(prometheus, "max_over_time(sextant_loss{run=\"" + RUN_STABLE + "\"}" + window + ")"));
                System.out.println("EdgeOfStabilityAlertTest: alerts now: " + prometheus.query("ALERTS"));
                System.out.printf("EdgeOfStabilityAlertTest: λ_max %.6f, η unstable %.6f stable %.6f; %s firing "
                                + "after %.1f s (active since %s), %d training rounds%n", lambdaMax, etaUnstable,
                        etaStable, ALERT, firedAfter, activeAt, training.rounds());
            } catch (Throwable t) {
                prometheus.printLog(System.err);
                throw t;
            }
        }
    }

    /**
     * λ_max of the Hessian of DL4J's mean MSE for a linear layer on {@code x}:
     * (2/nOut)·λ_max((1/N) Σ x̃x̃ᵀ), x̃ = [x; 1], in float64 (LAPACK on the 5×5 matrix).
     */
    private static double closedFormLambdaMax(INDArray x) {
        INDArray xt = Nd4j.hstack(x, Nd4j.ones(DataType.DOUBLE, ROWS, 1));
        INDArray c = xt.transpose().mmul(xt).divi(ROWS);
        INDArray eigenvalues = Eigen.symmetricGeneralizedEigenvalues(c.dup(), false);
        return 2.0 / N_OUT * eigenvalues.maxNumber().doubleValue();
    }

    /** Sharpness, threshold and ratio of one run, as Prometheus holds them, against the closed forms. */
    private static void assertMeasured(PrometheusProcess prometheus, String run, double lambdaMax, double eta,
                                       double expectedRatio) throws Exception {
        String sel = "{run=\"" + run + "\"}";
        double sharpness = value(prometheus, "sextant_sharpness" + sel);
        System.out.printf("EdgeOfStabilityAlertTest: %s sharpness %.12g, closed form %.12g, relative error %.2e%n",
                run, sharpness, lambdaMax, Math.abs(sharpness - lambdaMax) / lambdaMax);
        assertEquals(lambdaMax, sharpness, lambdaMax * PROBE_TOLERANCE, run + ": sharpness vs (2/nOut)·λ_max(C)");
        // 2/η computed from the same double η the updater holds: equal but for the division's rounding.
        assertEquals(2 / eta, value(prometheus, "sextant_stability_threshold" + sel), 4 * Math.ulp(2 / eta),
                run + ": SGD threshold 2/η");
        assertEquals(expectedRatio, value(prometheus, "sextant_edge_of_stability_ratio" + sel),
                expectedRatio * PROBE_TOLERANCE, run + ": edge-of-stability ratio");
    }

    /** Polls {@code /api/v1/alerts} until the unstable run's alert fires; any alert of the stable run fails. */
    private static JsonNode awaitFiring(PrometheusProcess prometheus, TrainingLoop training, Duration limit)
            throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            training.assertAlive();
            String lastState = "inactive";
            for (JsonNode a : prometheus.api("alerts", Map.of()).path("alerts")) {
                if (!ALERT.equals(a.path("labels").path("alertname").asText())) {
                    continue;
                }
                String run = a.path("labels").path("run").asText();
                assertEquals(RUN_UNSTABLE, run, "the stable run's alert became " + a.path("state") + ": " + a);
                lastState = a.path("state").asText();
                if ("firing".equals(lastState)) {
                    return a;
                }
            }
            if (System.nanoTime() > deadline) {
                fail(ALERT + " of run " + RUN_UNSTABLE + " was not firing within " + limit.toSeconds()
                        + " s; last state " + lastState + "; rule: " + loadedRule(prometheus));
            }
            Thread.sleep(1000);
        }
    }

    /** The annotation query of every dashboard, variables set to every value, returns the firing alert. */
    private static void assertDashboardAnnotationsShowTheAlert(PrometheusProcess prometheus,
                                                               ShippedPrometheusConfig config, int unstablePort)
            throws Exception {
        int annotations = 0;
        for (GrafanaDashboard d : GrafanaDashboard.loadAll(
                ShippedPrometheusConfig.repositoryRoot().resolve("dashboards/grafana/dashboards"))) {
            Map<String, List<String>> selection = d.selectEveryValue(prometheus);
            for (GrafanaDashboard.Query q : d.annotationQueries()) {
                annotations++;
                String promql = GrafanaDashboard.interpolate(q.expr(), d.variables(), selection, config.scrapeInterval());
                List<PrometheusProcess.Sample> result = prometheus.query(promql);
                assertTrue(result.stream().anyMatch(s -> ALERT.equals(s.labels().get("alertname"))
                                && RUN_UNSTABLE.equals(s.labels().get("run"))
                                && ("127.0.0.1:" + unstablePort).equals(s.labels().get("instance"))),
                        q + " (ran " + promql + ") does not show the firing alert: " + result);
            }
        }
        assertTrue(annotations > 0, "the dashboards have no alert annotation");
    }

    private static JsonNode loadedRule(PrometheusProcess prometheus) throws Exception {
        for (JsonNode g : prometheus.api("rules", Map.of("type", "alert")).path("groups")) {
            for (JsonNode r : g.path("rules")) {
                if (ALERT.equals(r.path("name").asText())) {
                    return r;
                }
            }
        }
        throw new AssertionError("Prometheus has no rule " + ALERT);
    }

    /** Waits until {@code condition} (a PromQL filter) returns a series. */
    private static void awaitScraped(PrometheusProcess prometheus, String condition, TrainingLoop training,
                                     Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (prometheus.query(condition).isEmpty()) {
            training.assertAlive();
            if (System.nanoTime() > deadline) {
                fail("Prometheus did not hold " + condition + " within " + limit.toSeconds() + " s; targets "
                        + prometheus.targets());
            }
            Thread.sleep(500);
        }
    }

    private static String ratio(String run) {
        return "sextant_edge_of_stability_ratio{run=\"" + run + "\"}";
    }

    private static double value(PrometheusProcess prometheus, String promql) throws Exception {
        List<PrometheusProcess.Sample> r = prometheus.query(promql);
        assertEquals(1, r.size(), () -> promql + " gave " + r);
        return r.get(0).value();
    }

    private static SextantListener listener(String run, Path events) {
        return SextantListener.builder().runId(run).model(MODEL).port(0).eventLog(events)
                .profile(Profile.FULL).fixedIntervals().every(5).noiseEvery(5).sharpnessEvery(5).traceEvery(25)
                .build();
    }

    /** One OutputLayer: identity activation, MSE, SGD at {@code eta}, element-wise clipped gradients; float64. */
    private static MultiLayerNetwork linearNetwork(double eta) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(3).updater(new Sgd(eta)).weightInit(WeightInit.XAVIER).dataType(DataType.DOUBLE)
                .gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
                .gradientNormalizationThreshold(CLIP)
                .list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(N_IN).nOut(N_OUT)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        return net;
    }

    /**
     * One fixed batch (full-batch training, so the Hessian never changes): features with distinct
     * scales and non-zero means (the bias couples to them), targets a fixed linear map plus noise.
     */
    private static DataSet batch(long seed) {
        Random r = new Random(seed);
        double[] scale = {2.0, 1.0, 0.5, 0.25};
        double[] mean = {0.5, -0.3, 0.0, 0.2};
        double[][] x = new double[ROWS][N_IN];
        double[][] y = new double[ROWS][N_OUT];
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < N_IN; j++) {
                x[i][j] = mean[j] + scale[j] * r.nextGaussian();
            }
            y[i][0] = x[i][0] - 0.5 * x[i][1] + 0.1 * r.nextGaussian();
            y[i][1] = 0.3 * x[i][2] + x[i][3] + 0.1 * r.nextGaussian();
        }
        return new DataSet(Nd4j.create(x), Nd4j.create(y));
    }
}
