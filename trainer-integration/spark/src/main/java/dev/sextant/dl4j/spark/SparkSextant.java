package dev.sextant.dl4j.spark;

import dev.sextant.export.MetricsExporter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Sextant on dl4j-spark, the driver's side. One line attaches it:
 *
 * <pre>{@code
 * SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, conf, trainingMaster);
 * SparkSextant sextant = SparkSextant.attach(sparkNet,
 *         SparkSettings.pushingTo("http://pushgateway:9091").runId("mnist-spark").model("mlp"));
 * sparkNet.fit(trainData);
 * sextant.close(); // logs and pushes the summary
 * }</pre>
 *
 * <p>Every executor measures the networks its tasks train (the settings' profile, as a
 * {@link dev.sextant.dl4j.SextantListener} would) and pushes its series to the Pushgateway, grouped
 * {@code job="sextant-spark", app="<application id>", run, model, executor="<executor id>", instance="<host>"};
 * within an executor, {@code worker} is the task slot (0..cores−1). Prometheus scrapes the
 * Pushgateway with {@code honor_labels: true} to keep those labels. See {@link ExecutorSextant}.
 *
 * <p>The driver keeps a summary from Spark accumulators ({@link #summary()}) and pushes it after every
 * Spark job and at {@link #close()} to the group {@code job="sextant-spark", app="<application id>", run, model}
 * as {@code sextant_spark_run_*}. The Pushgateway keeps the executors' last values after the run;
 * {@code sextant_spark_run_finished} (set to 1 by {@link #close()}) tells rules and dashboards that
 * those values are final, not a stalled run. Delete a finished application's groups with
 * {@code curl -X DELETE <pushgateway>/metrics/job/sextant-spark/app/<id>/run/<run>/model/<model>/executor/<id>/instance/<host>}
 * (or in the Pushgateway's web page) when you no longer want them.
 *
 * <p>With ParameterAveragingTrainingMaster every averaging round gives each worker a new network
 * (the averaged parameters), so per-worker values that count from the network's start
 * ({@code sextant_weight_init_distance}) count from the round's start.
 */
public final class SparkSextant implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SparkSextant.class);

    private final JavaSparkContext sc;
    private final SparkSettings settings;
    private final String app;
    private final RunCounters counters;
    private final SparkSextantListener listener;
    private final PrometheusMeterRegistry summaryRegistry = MetricsExporter.newRegistry();
    private final PushgatewayClient client;
    private final SparkListener afterEveryJob;
    private volatile boolean closed;
    private long failedSummaryPushes;

    private SparkSextant(JavaSparkContext sc, SparkSettings settings) {
        this.sc = sc;
        this.app = sc.sc().applicationId();
        this.settings = settings.copy().withDefaultRunId(app);
        this.settings.validate();
        this.client = new PushgatewayClient(URI.create(this.settings.pushgateway()));
        if (!client.ready()) {
            LOG.warn("Sextant: the Pushgateway at {} does not answer now; executors will keep trying every {} s"
                    + " (training is not held up)", this.settings.pushgateway(), this.settings.pushInterval().toSeconds());
        }
        String run = this.settings.runId();
        this.counters = RunCounters.register(sc, run);
        this.listener = new SparkSextantListener(this.settings, app, counters);
        registerSummary(run, this.settings.model());
        this.afterEveryJob = new SparkListener() {
            @Override
            public void onJobEnd(SparkListenerJobEnd jobEnd) {
                pushSummary();
            }
        };
        sc.sc().addSparkListener(afterEveryJob);
    }

    /**
     * Sextant for the Spark application of {@code sc}; give {@link #listener()} to your
     * {@code SparkDl4jMultiLayer} or {@code SparkComputationGraph}.
     *
     * @throws IllegalArgumentException naming the setting, when one is wrong
     */
    public static SparkSextant create(JavaSparkContext sc, SparkSettings settings) {
        Objects.requireNonNull(sc, "sc");
        Objects.requireNonNull(settings, "settings");
        return new SparkSextant(sc, settings);
    }

    /**
     * Attaches Sextant to every executor of {@code sparkNet}. Replaces the listeners set before
     * (dl4j-spark's {@code setListeners} does): to keep others, call
     * {@code sparkNet.setListeners(sextant.listener(), yours...)} with {@link #create} instead.
     */
    public static SparkSextant attach(SparkDl4jMultiLayer sparkNet, SparkSettings settings) {
        SparkSextant sextant = create(sparkNet.getSparkContext(), settings);
        sparkNet.setListeners(sextant.listener());
        return sextant;
    }

    /** As {@link #attach(SparkDl4jMultiLayer, SparkSettings)}, for a {@code SparkComputationGraph}. */
    public static SparkSextant attach(SparkComputationGraph sparkNet, SparkSettings settings) {
        SparkSextant sextant = create(sparkNet.getSparkContext(), settings);
        sparkNet.setListeners(sextant.listener());
        return sextant;
    }

    /** The serializable listener that goes to the executors. */
    public SparkSextantListener listener() {
        return listener;
    }

    /** The run id, the {@code run} label (the application id unless set). */
    public String runId() {
        return settings.runId();
    }

    /** The Spark application id, the {@code app} grouping label. */
    public String applicationId() {
        return app;
    }

    /** The registry of the summary pushed by the driver (for tests). */
    PrometheusMeterRegistry summaryRegistry() {
        return summaryRegistry;
    }

    /** What the executors' completed tasks reported so far. */
    public SparkRunSummary summary() {
        return counters.summary(app, settings.runId());
    }

    private void registerSummary(String run, String model) {
        FunctionCounter.builder("sextant.spark.run.partitions.trained", counters.partitions(), LongAccumulator::sum)
                .description("Training tasks (one partition each) of the run that completed with Sextant attached, all executors.")
                .tags("run", run, "model", model).register(summaryRegistry);
        FunctionCounter.builder("sextant.spark.run.steps", counters.steps(), LongAccumulator::sum)
                .description("Mini-batch steps of those tasks, summed over all workers.")
                .tags("run", run, "model", model).register(summaryRegistry);
        FunctionCounter.builder("sextant.spark.run.examples", counters.examples(), LongAccumulator::sum)
                .description("Examples in those mini-batches.")
                .tags("run", run, "model", model).register(summaryRegistry);
        Gauge.builder("sextant.spark.run.finished", this, s -> s.closed ? 1 : 0)
                .description("1 once the driver closed Sextant (the run is over: the executors' last values stay in the"
                        + " Pushgateway, and the shipped alert rules leave the run alone), 0 while it trains.")
                .tags("run", run, "model", model).register(summaryRegistry);
        Gauge.builder("sextant.spark.run.executors", counters.executors(), e -> new TreeSet<>(e.value()).size())
                .description("Executors on which tasks of the run trained with Sextant attached.")
                .tags("run", run, "model", model).register(summaryRegistry);
    }

    /** Pushes the summary to the group {@code job/<job>/app/<app>/run/<run>/model/<model>}; a failure is logged, never thrown. */
    private synchronized void pushSummary() {
        try {
            Map<String, String> group = new LinkedHashMap<>();
            group.put("app", app);
            group.put("run", settings.runId());
            group.put("model", settings.model());
            client.put(settings.job(), group, summaryRegistry.scrape(PushgatewayClient.TEXT_FORMAT));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (failedSummaryPushes++ % 100 == 0) {
                LOG.warn("Sextant could not push the run summary to the Pushgateway {} ({} failed pushes so far): {}",
                        settings.pushgateway(), failedSummaryPushes, e.toString());
            }
        }
    }

    /**
     * Pushes the summary and, in local mode, this JVM's executor metrics; logs the summary. Idempotent.
     * Executors in other JVMs push when their tasks end and when they exit.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        sc.sc().removeSparkListener(afterEveryJob);
        ExecutorSextant.pushAllNow();
        pushSummary();
        LOG.info("{}", summary());
    }
}
