package dev.sextant.dl4j.parallel;

import dev.sextant.dl4j.SextantListener;
import dev.sextant.export.MetricsExporter;
import dev.sextant.probe.MetricSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sextant on DL4J's {@link ParallelWrapper} (several training workers in one JVM), attached in one line:
 *
 * <pre>{@code
 * ParallelWrapper wrapper = new ParallelWrapper.Builder<>(net).workers(2).averagingFrequency(1).build();
 * ParallelSextant sextant = ParallelSextant.attach(wrapper, b -> b.model("mlp").profile(Profile.FULL));
 * wrapper.fit(trainData);
 * }</pre>
 *
 * <p>What ParallelWrapper (1.0.0-M2.1) does with a listener: it calls it once per worker per
 * mini-batch, from the thread {@code ParallelWrapper training thread N} of worker N, several
 * threads at once; worker 0 trains the network the wrapper was built with, the others train
 * replicas created anew at every {@code fit}. This listener therefore keeps one
 * {@link SextantListener} per worker, created lazily on the worker's first callback (and again
 * when a new {@code fit} brings the worker a new replica), each only ever called from its own
 * worker's thread.
 *
 * <p>Every per-worker series carries the label {@code worker} (0..n−1). All workers share one
 * {@link PrometheusMeterRegistry} and one {@code /metrics} endpoint: worker 0's listener is built
 * with the configuration as given (its port, event log and live page), the others with
 * {@code port(-1)}, no event log, and worker 0's run id and model name ({@link WorkerLabel} says
 * how the label is set). Worker 0's network is the wrapper's own, so its listener keeps its state
 * across fits; a replica's listener starts afresh with each new replica (its distance from
 * initialisation counts from that fit's start) and its series are replaced.
 *
 * <p>Across workers it estimates the gradient noise scale from the raw gradients the workers compute
 * anyway ({@link WorkerGradientNoise}): valid when every round starts from the same parameters,
 * i.e. AVERAGING mode with {@code averagingFrequency(1)}; the gauge
 * {@code sextant_worker_noise_scale_valid} says whether the last sampled round was.
 *
 * <p>As with {@link SextantListener}, nothing Sextant throws reaches training: failures are logged
 * once and counted in {@code sextant_probe_failures_total{probe="parallel"}}. {@link #close()} closes
 * every worker's listener (also done by their JVM shutdown hooks).
 */
public final class ParallelSextant extends BaseTrainingListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ParallelSextant.class);
    /** Default interval, in rounds, of the worker noise scale (a round: one batch for every worker). */
    public static final int DEFAULT_NOISE_EVERY = 10;
    private static final Pattern WORKER_THREAD = Pattern.compile("ParallelWrapper training thread (\\d+)");

    private final ParallelWrapper wrapper;
    private final Model root;
    private final int workers;
    private final int averagingFrequency;
    private final UnaryOperator<SextantListener.Builder> config;
    private final PrometheusMeterRegistry registry;
    private final SextantListener first;
    private final WorkerGradientNoise noise;
    private final Map<Integer, Slot> slots = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile boolean warnedThread;
    private volatile boolean warnedFailure;

    /**
     * One worker's listener and the network it watches, and where the worker is in the current fit.
     * Touched only from the worker's own thread (and by {@link #close()}).
     */
    private static final class Slot {
        final Model model;
        final SextantListener listener;
        Thread thread;
        Object fit;
        long round = -1;

        Slot(Model model, SextantListener listener) {
            this.model = model;
            this.listener = listener;
        }

        /**
         * Advances to the next round: the count of this worker's steps in the current fit. A fit
         * runs each worker on a new thread (worker 0 keeps the wrapper's network across fits), and
         * {@code fit} (the wrapper's array of trainers, new at every fit) tells the fits apart.
         */
        long nextRound(Object currentFit) {
            Thread t = Thread.currentThread();
            if (t != thread || currentFit != fit) {
                thread = t;
                fit = currentFit;
                round = -1;
            }
            return ++round;
        }
    }

    private ParallelSextant(ParallelWrapper wrapper, Model root, int workers, int averagingFrequency,
                            UnaryOperator<SextantListener.Builder> config, int noiseEvery) {
        this.wrapper = wrapper;
        this.root = root;
        this.workers = workers;
        this.averagingFrequency = averagingFrequency;
        this.config = config;
        this.registry = MetricsExporter.newRegistry();
        registry.config().meterFilter(new WorkerLabel());
        this.first = config.apply(SextantListener.builder()).registry(registry).build();
        String longest = WorkerLabel.modelName(first.modelName(), workers - 1);
        if (longest.length() > 64) {
            first.close();
            throw new IllegalArgumentException("model: '" + first.modelName() + "' is too long for " + workers
                    + " workers; the other workers' listeners are named like '" + longest
                    + "', which must fit in 64 characters");
        }
        slots.put(0, new Slot(root, first));
        this.noise = new WorkerGradientNoise(workers, noiseEvery,
                new MetricsExporter(registry, first.runId(), first.modelName(), List.of()));
    }

    /**
     * Attaches Sextant to every worker of {@code wrapper}, sampling the worker noise scale every
     * {@value #DEFAULT_NOISE_EVERY} rounds.
     *
     * @param wrapper the built wrapper (AVERAGING or SHARED_GRADIENTS mode)
     * @param config  the per-worker listener's configuration, as for one network:
     *                {@code b -> b.model("mlp").port(9404).profile(Profile.FULL)}; its {@code registry}
     *                is replaced by the shared one
     */
    public static ParallelSextant attach(ParallelWrapper wrapper, UnaryOperator<SextantListener.Builder> config) {
        return attach(wrapper, config, DEFAULT_NOISE_EVERY);
    }

    /** As {@link #attach(ParallelWrapper, UnaryOperator)}, sampling the worker noise scale every {@code noiseEvery} rounds. */
    public static ParallelSextant attach(ParallelWrapper wrapper, UnaryOperator<SextantListener.Builder> config,
                                         int noiseEvery) {
        Objects.requireNonNull(wrapper, "wrapper");
        Objects.requireNonNull(config, "config");
        Model model = (Model) WrapperFields.read(wrapper, "model");
        if (!(model instanceof MultiLayerNetwork) && !(model instanceof ComputationGraph)) {
            throw new IllegalArgumentException("Sextant supports MultiLayerNetwork and ComputationGraph, not "
                    + (model == null ? "null" : model.getClass().getName()));
        }
        int workers = (Integer) WrapperFields.read(wrapper, "workers");
        int averagingFrequency = (Integer) WrapperFields.read(wrapper, "averagingFrequency");
        if (workers < 2) {
            throw new IllegalArgumentException("workers: the wrapper has " + workers
                    + "; with one worker attach a SextantListener to the network instead");
        }
        if (noiseEvery < 1) {
            throw new IllegalArgumentException("noiseEvery: " + noiseEvery + " rounds; must be at least 1");
        }
        ParallelSextant sextant = new ParallelSextant(wrapper, model, workers, averagingFrequency, config, noiseEvery);
        wrapper.setListeners(sextant); // appends to the wrapper's listeners
        return sextant;
    }

    /**
     * The cross-worker metrics ({@code sextant_worker_*}, labels {@code run} and {@code model});
     * every other series is a {@link SextantListener}'s, with the label {@code worker} added.
     */
    public static List<MetricSpec> metrics() {
        return WorkerGradientNoise.metrics();
    }

    /** The registry every worker's series live in (served at {@link #metricsUrl()}). */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The one metrics endpoint of all workers, or {@code null} when the configuration serves none. */
    public String metricsUrl() {
        return first.metricsUrl();
    }

    /** Worker 0's listener: the served endpoint, the event log and the live page are its own. */
    public SextantListener rootListener() {
        return first;
    }

    /** Number of workers of the wrapper. */
    public int workers() {
        return workers;
    }

    /** The wrapper's averaging frequency; the worker noise scale is valid only when it is 1 (AVERAGING mode). */
    public int averagingFrequency() {
        return averagingFrequency;
    }

    /** Rounds in which every worker reported a gradient for the worker noise scale. */
    public long noiseRounds() {
        return noise.completedRounds();
    }

    /** Sees every complete round of the worker noise scale (for tests). */
    void observeNoiseRounds(WorkerGradientNoise.RoundObserver observer) {
        noise.observe(observer);
    }

    @Override
    public void onGradientCalculation(Model model) {
        int worker = workerOf(model);
        Slot slot = slotFor(worker, model);
        if (slot == null) {
            return;
        }
        slot.listener.onGradientCalculation(model);
        try {
            Object fit = WrapperFields.ZOO.get(wrapper);
            long round = slot.nextRound(fit);
            if (noise.due(round)) {
                // The gradient view holds the batch-summed raw gradient until the updater runs.
                noise.report(fit, round, worker, model.getGradientsViewArray(), model.params(), model.batchSize());
            }
        } catch (RuntimeException | LinkageError | IllegalAccessException e) {
            failed(worker, e);
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        int worker = workerOf(model);
        Slot slot = slotFor(worker, model);
        if (slot != null) {
            slot.listener.iterationDone(model, iteration, epoch);
        }
    }

    /** Worker index: 0 for the wrapper's own network, N on {@code ParallelWrapper training thread N}; -1 if neither. */
    private int workerOf(Model model) {
        if (model == root) {
            return 0;
        }
        Matcher m = WORKER_THREAD.matcher(Thread.currentThread().getName());
        if (m.matches()) {
            int n = Integer.parseInt(m.group(1));
            if (n > 0 && n < workers) {
                return n;
            }
        }
        if (!warnedThread) {
            warnedThread = true;
            LOG.warn("Sextant on ParallelWrapper: a network other than the wrapper's trained on thread '{}', which is"
                    + " not a worker thread 1..{}; ignored", Thread.currentThread().getName(), workers - 1);
        }
        return -1;
    }

    /** The worker's listener, built on its first callback or when the worker trains a new replica. */
    private Slot slotFor(int worker, Model model) {
        if (worker < 0 || closed) {
            return null;
        }
        Slot slot = slots.get(worker);
        if (slot != null && slot.model == model) {
            return slot;
        }
        try {
            if (slot != null) {
                retire(worker, slot);
            }
            SextantListener l = config.apply(SextantListener.builder())
                    .registry(registry).port(-1).eventLog(null)
                    .runId(first.runId()).model(WorkerLabel.modelName(first.modelName(), worker))
                    .build();
            Slot fresh = new Slot(model, l);
            slots.put(worker, fresh);
            return fresh;
        } catch (RuntimeException | LinkageError e) {
            failed(worker, e);
            return null;
        }
    }

    /**
     * Closes the listener of a replica that is no longer trained and removes its series: a new
     * listener's gauges would otherwise find the old ones registered under the same labels.
     */
    private void retire(int worker, Slot slot) {
        slot.listener.close();
        WorkerLabel.removeSeries(registry, worker);
    }

    private void failed(int worker, Throwable e) {
        try {
            Counter.builder("sextant.probe.failures")
                    .description("Calls of the probe that threw; training went on.")
                    .tags("run", first.runId(), "model", first.modelName(), "probe", "parallel",
                            WorkerLabel.LABEL, Integer.toString(worker))
                    .register(registry).increment();
        } catch (RuntimeException ignored) {
            // the log line below still says it
        }
        if (!warnedFailure) {
            warnedFailure = true;
            LOG.warn("Sextant on ParallelWrapper failed inside a training callback of worker {}; training goes on"
                    + " (counted in sextant_probe_failures_total{{probe=\"parallel\"}})", worker, e);
        }
    }

    /** Closes every worker's listener (worker 0's stops the metrics server). Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (Slot s : slots.values()) {
            s.listener.close();
        }
    }

    /** ParallelWrapper 1.0.0-M2.1 keeps its settings in protected fields without getters. */
    private static final class WrapperFields {
        /** The trainers of the current fit: a new array at every fit. */
        static final Field ZOO = field("zoo");

        static Object read(ParallelWrapper wrapper, String name) {
            try {
                return field(name).get(wrapper);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot read ParallelWrapper." + name, e);
            }
        }

        private static Field field(String name) {
            try {
                Field f = ParallelWrapper.class.getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException("ParallelWrapper has no field '" + name
                        + "': Sextant supports the ParallelWrapper of DL4J 1.0.0-M2.1", e);
            }
        }
    }
}
