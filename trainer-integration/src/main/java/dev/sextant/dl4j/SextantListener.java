package dev.sextant.dl4j;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpsConfigurator;
import dev.sextant.alert.Condition;
import dev.sextant.alert.ConditionAction;
import dev.sextant.alert.ConditionWatcher;
import dev.sextant.export.EventLog;
import dev.sextant.export.MetricsExporter;
import dev.sextant.export.MetricsServer;
import dev.sextant.export.SampleSink;
import dev.sextant.probe.MutableStepView;
import dev.sextant.probe.Need;
import dev.sextant.probe.Probe;
import dev.sextant.schedule.OverheadGovernor;
import dev.sextant.schedule.ProbeRunner;
import dev.sextant.schedule.Profile;
import dev.sextant.schedule.Schedule;
import dev.sextant.web.LivePage;
import dev.sextant.web.SampleHistory;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Sextant for a DL4J {@code MultiLayerNetwork} or {@code ComputationGraph}: samples the geometry
 * of training on a schedule, serves it at {@code /metrics} and appends it to a JSON-lines event log.
 *
 * <pre>{@code
 * net.addListeners(SextantListener.builder().model("mlp").build());
 * }</pre>
 *
 * <p>Everything runs on the training thread inside DL4J's listener callbacks; when no probe is
 * due the callbacks return after a few integer comparisons. Probes never modify the network:
 * extra gradients are evaluated on a private copy (float64 by default). A probe that throws is
 * logged, counted and backed off; no exception from Sextant reaches the training loop.
 *
 * <p>One listener watches one network (the first it sees); {@link #close()} stops the HTTP server
 * and closes the event log (also done by a JVM shutdown hook).
 */
public final class SextantListener extends BaseTrainingListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SextantListener.class);

    private final String runId;
    private final String modelName;
    private final ProbeRunner runner;
    private final MetricsExporter exporter;
    private final MetricsServer server;
    private final EventLog eventLog;
    private final List<SampleSink> sinks;
    private final DataType probeType;
    private final boolean livePage;
    private final Thread shutdownHook;
    private boolean closed;

    // State of the watched network, created at its first callback.
    private Model watched;
    private NetworkAccess net;
    private Dl4jProbedModel probed;
    private final MutableStepView view = new MutableStepView();
    private INDArray rawGradient;
    private long rawGradientStep = Long.MIN_VALUE;
    private INDArray lastUpdate;
    private long lastUpdateStep = Long.MIN_VALUE;
    // Step timing for the overhead ratio and the governor: training time excludes Sextant's.
    private long lastExitNanos = Long.MIN_VALUE;
    private long sextantNanosThisStep;
    private boolean warnedOtherModel;
    private boolean warnedInternal;

    private SextantListener(Builder b, ProbeRunner runner, MetricsExporter exporter, MetricsServer server,
                            EventLog eventLog, List<SampleSink> sinks) {
        this.runId = b.runId;
        this.modelName = b.model;
        this.runner = runner;
        this.exporter = exporter;
        this.server = server;
        this.eventLog = eventLog;
        this.sinks = sinks;
        this.probeType = b.probeDataType;
        this.livePage = b.history > 0;
        // The hook holds the resources, not the listener: a listener that is never closed (and its
        // network) can still be collected; its server and log are closed at JVM exit.
        List<SampleSink> hookSinks = sinks;
        MetricsServer hookServer = server;
        this.shutdownHook = new Thread(() -> closeResources(hookSinks, hookServer), "sextant-shutdown-" + runId);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static Builder builder() {
        return new Builder();
    }

    public String runId() {
        return runId;
    }

    public String modelName() {
        return modelName;
    }

    /** The URL of the metrics endpoint, or {@code null} when serving is off. */
    public String metricsUrl() {
        return server == null ? null : server.metricsUrl();
    }

    /** The URL of the live page ({@code /}), or {@code null} when serving is off or {@code history(0)}. */
    public String pageUrl() {
        return server == null || !livePage ? null : server.rootUrl();
    }

    /** The bound HTTP port, or -1 when serving is off. */
    public int port() {
        return server == null ? -1 : server.port();
    }

    /** The event log's path, or {@code null} when the log is off. */
    public Path eventLogPath() {
        return eventLog == null ? null : eventLog.path();
    }

    /** The registry the gauges live in (to add your own meters or serve it elsewhere). */
    public PrometheusMeterRegistry registry() {
        return exporter.registry();
    }

    /** The probes this listener runs, in order. */
    public List<Probe> probes() {
        return runner.probes();
    }

    @Override
    public void onGradientCalculation(Model model) {
        long entered = System.nanoTime();
        try {
            NetworkAccess n = access(model);
            if (n == null) {
                return;
            }
            long step = n.iteration();
            if (!runner.needs(step, Need.RAW_GRADIENT)) {
                return;
            }
            // The gradient view holds the batch-summed raw gradient now; the updater overwrites it next.
            try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                rawGradient.assign(n.flattenedGradients()).divi(n.batchSize());
            }
            rawGradientStep = step;
        } catch (RuntimeException | LinkageError e) {
            internalFailure(e);
        } finally {
            sextantNanosThisStep += System.nanoTime() - entered;
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        long entered = System.nanoTime();
        try {
            NetworkAccess n = access(model);
            if (n == null) {
                return;
            }
            boolean due = runner.anyDue(iteration);
            boolean keepUpdate = runner.needs(iteration + 1L, Need.PREVIOUS_UPDATE);
            if (!due && !keepUpdate) {
                observe(entered, System.nanoTime());
                return;
            }
            try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                if (due) {
                    sample(n, iteration, epoch);
                }
                if (keepUpdate) {
                    // At iterationDone the gradient view holds the update just applied: w(t-1) - w(t).
                    lastUpdate.assign(n.flattenedGradients());
                    lastUpdateStep = iteration;
                }
            }
            observe(entered, System.nanoTime());
        } catch (RuntimeException | LinkageError e) {
            internalFailure(e);
        }
    }

    /** Splits the time since the previous step's exit into training time and Sextant's time. */
    private void observe(long entered, long exiting) {
        if (lastExitNanos != Long.MIN_VALUE) {
            long sextant = sextantNanosThisStep + (exiting - entered);
            long training = (entered - lastExitNanos) - sextantNanosThisStep;
            runner.observeStep(Math.max(training, 0), sextant);
        }
        sextantNanosThisStep = 0;
        lastExitNanos = exiting;
    }

    private void sample(NetworkAccess n, int iteration, int epoch) {
        view.step = iteration;
        view.epoch = epoch;
        view.batchSize = n.batchSize();
        view.loss = n.score();
        view.params = n.params();
        view.update = n.flattenedGradients();
        view.previousUpdate = lastUpdateStep == iteration - 1L ? lastUpdate : null;
        view.rawGradient = rawGradientStep == iteration ? rawGradient : null;
        view.optimizer = OptimizerIntrospection.read(n, iteration, epoch);
        probed.rebind();
        runner.run(view);
    }

    /** The network's access object, binding to it on first sight; null for a second network. */
    private NetworkAccess access(Model model) {
        if (closed) {
            return null;
        }
        if (watched == null) {
            bind(model);
        } else if (model != watched) {
            if (!warnedOtherModel) {
                LOG.warn("Sextant listener (run {}, model {}) watches one network; ignoring another one it was "
                        + "attached to ({}). Use one listener per network.", runId, modelName,
                        model.getClass().getSimpleName());
                warnedOtherModel = true;
            }
            return null;
        }
        return net;
    }

    private void bind(Model model) {
        NetworkAccess n = NetworkAccess.of(model);
        try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            view.layout = n.layout();
            INDArray p = n.params();
            view.initialParams = p.dup();
            rawGradient = p.ulike();
            lastUpdate = p.ulike();
        }
        probed = new Dl4jProbedModel(n, probeType);
        view.model = probed;
        net = n;
        watched = model;
    }

    private void internalFailure(Throwable e) {
        exporter.probeFailed("listener", view.step, e);
        if (!warnedInternal) {
            LOG.warn("Sextant listener failed inside a training callback; training goes on (counted in "
                    + "sextant_probe_failures_total{{probe=\"listener\"}})", e);
            warnedInternal = true;
        }
    }

    /** Stops the HTTP server and closes the event log and sinks. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeResources(sinks, server);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already exiting; the hook runs or has run
        }
    }

    /** Closes the sinks (event log first among them) and stops the server; safe to call twice. */
    private static void closeResources(List<SampleSink> sinks, MetricsServer server) {
        for (SampleSink s : sinks) {
            try {
                s.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", s, e.toString());
            }
        }
        if (server != null) {
            server.close();
        }
    }

    /**
     * Configuration of a {@link SextantListener}; {@link #build()} validates every field, starts
     * the metrics server and opens the event log, or fails with a message naming what to change.
     */
    public static final class Builder {
        private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

        private String runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        private String model = "model";
        private String host = "127.0.0.1";
        private int port = 9404;
        private Path eventLog = Path.of("sextant-events.jsonl");
        private int history = 2000;
        private int every = Profile.Intervals.DEFAULTS.every();
        private int noiseEvery = Profile.Intervals.DEFAULTS.noiseEvery();
        private int sharpnessEvery = Profile.Intervals.DEFAULTS.sharpnessEvery();
        private int traceEvery = Profile.Intervals.DEFAULTS.traceEvery();
        private Profile profile = Profile.DEFAULT;
        private double overheadBudget = 0.03;
        private boolean fixedIntervals;
        private boolean defaultProbes = true;
        private DataType probeDataType = DataType.DOUBLE;
        private long eventLogMaxBytes = EventLog.DEFAULT_MAX_BYTES;
        private int eventLogKeep = EventLog.DEFAULT_KEEP;
        private Authenticator authenticator;
        private HttpsConfigurator https;
        private PrometheusMeterRegistry registry;
        private final List<ProbeRunner.Scheduled> probes = new ArrayList<>();
        private final List<Binding> conditionActions = new ArrayList<>();

        private record Binding(Condition condition, ConditionAction action) {
        }
        private final List<SampleSink> extraSinks = new ArrayList<>();

        private Builder() {
        }

        /** Run id, the {@code run} label (default: start time, {@code yyyyMMdd-HHmmss}). */
        public Builder runId(String runId) {
            this.runId = runId;
            return this;
        }

        /** Model name, the {@code model} label (default {@code model}). */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** Address to bind the metrics server to (default {@code 127.0.0.1}; {@code 0.0.0.0} for every interface). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** Metrics port (default 9404); 0 picks a free port; -1 serves no metrics. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** JSON-lines event log path (default {@code sextant-events.jsonl}, appended to); null for none. */
        public Builder eventLog(Path eventLog) {
            this.eventLog = eventLog;
            return this;
        }

        /**
         * Entries the live page at {@code /} keeps in memory, one per probe call (default 2000, the
         * oldest dropped first); 0 for no live page.
         */
        public Builder history(int samples) {
            this.history = samples;
            return this;
        }

        /** Size cap of one event-log file (default 256 MiB); the file is rotated past it. */
        public Builder eventLogMaxBytes(long bytes) {
            this.eventLogMaxBytes = bytes;
            return this;
        }

        /** Rotated event-log files kept ({@code events.jsonl.1} ...; default 3). */
        public Builder eventLogKeep(int files) {
            this.eventLogKeep = files;
            return this;
        }

        /** Requires HTTP basic authentication for {@code /metrics}. */
        public Builder basicAuth(String user, String password) {
            if (user == null || user.isEmpty() || password == null || password.isEmpty()) {
                throw new IllegalArgumentException("basicAuth: user and password must be non-empty");
            }
            byte[] u = user.getBytes(StandardCharsets.UTF_8);
            byte[] p = password.getBytes(StandardCharsets.UTF_8);
            this.authenticator = new BasicAuthenticator("sextant") {
                @Override
                public boolean checkCredentials(String givenUser, String givenPassword) {
                    // constant-time comparison
                    return MessageDigest.isEqual(u, givenUser.getBytes(StandardCharsets.UTF_8))
                            & MessageDigest.isEqual(p, givenPassword.getBytes(StandardCharsets.UTF_8));
                }
            };
            return this;
        }

        /** Serves HTTPS instead of HTTP, e.g. {@code new HttpsConfigurator(sslContext)}. */
        public Builder https(HttpsConfigurator configurator) {
            this.https = configurator;
            return this;
        }

        /**
         * Runs {@code action} on the training thread when {@code condition} starts to hold (again
         * only after it cleared): e.g. stop training, save a checkpoint, lower the learning rate.
         * What the action throws is logged and counted; training goes on.
         */
        public Builder onCondition(Condition condition, ConditionAction action) {
            if (condition == null || action == null) {
                throw new IllegalArgumentException("onCondition: condition and action must not be null");
            }
            conditionActions.add(new Binding(condition, action));
            return this;
        }

        /** Interval in steps of the progress and weight-geometry probes (default 10). */
        public Builder every(int steps) {
            this.every = steps;
            return this;
        }

        /**
         * Which probes run: {@link Profile#DEFAULT} (progress and weight geometry) or
         * {@link Profile#FULL} (also gradient noise, sharpness, Hessian trace; see {@link Profile}).
         */
        public Builder profile(Profile profile) {
            this.profile = profile;
            return this;
        }

        /**
         * Sextant's time budget as a fraction of training time (default 0.03): the governor
         * stretches the intervals of the most expensive probes first to stay within it.
         */
        public Builder overheadBudget(double fraction) {
            this.overheadBudget = fraction;
            return this;
        }

        /** Turns the governor off: every probe runs exactly at its configured interval, whatever it costs. */
        public Builder fixedIntervals() {
            this.fixedIntervals = true;
            return this;
        }

        /** With the full profile: interval of gradient-noise and batch-sharpness probes (default 50). */
        public Builder noiseEvery(int steps) {
            this.noiseEvery = steps;
            return this;
        }

        /** With the full profile: interval of top-eigenvalue, preconditioned and SAM sharpness (default 500). */
        public Builder sharpnessEvery(int steps) {
            this.sharpnessEvery = steps;
            return this;
        }

        /** With the full profile: interval of the Hessian trace (default 1000). */
        public Builder traceEvery(int steps) {
            this.traceEvery = steps;
            return this;
        }

        /** Leaves out the profile's probes; only those added with {@link #probe} run. */
        public Builder withoutDefaultProbes() {
            this.defaultProbes = false;
            return this;
        }

        /** Adds a probe that runs every {@code every} steps. */
        public Builder probe(Probe probe, int every) {
            if (probe == null) {
                throw new IllegalArgumentException("probe: must not be null");
            }
            probes.add(new ProbeRunner.Scheduled(probe, new Schedule(every)));
            return this;
        }

        /** Data type of the copy on which extra gradients are evaluated (default DOUBLE; FLOAT is cheaper, coarser). */
        public Builder probeDataType(DataType type) {
            this.probeDataType = type;
            return this;
        }

        /** Registry to put the gauges in (default: a new one, served by this listener's own server). */
        public Builder registry(PrometheusMeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        /** An extra receiver of every sample (e.g. console progress), closed with the listener. */
        public Builder sink(SampleSink sink) {
            if (sink == null) {
                throw new IllegalArgumentException("sink: must not be null");
            }
            extraSinks.add(sink);
            return this;
        }

        public SextantListener build() {
            validate();
            List<ProbeRunner.Scheduled> all = new ArrayList<>();
            if (defaultProbes) {
                all.addAll(profile.probes(new Profile.Intervals(every, noiseEvery, sharpnessEvery, traceEvery)));
            }
            all.addAll(probes);
            Set<String> names = new HashSet<>();
            for (ProbeRunner.Scheduled s : all) {
                if (!names.add(s.probe().name())) {
                    throw new IllegalArgumentException("probe: two probes are named '" + s.probe().name()
                            + "'; names label metrics and must be unique");
                }
            }
            PrometheusMeterRegistry reg = registry != null ? registry : MetricsExporter.newRegistry();
            MetricsExporter exporter = new MetricsExporter(reg, runId, model,
                    all.stream().map(ProbeRunner.Scheduled::probe).toList());
            MetricsServer server = null;
            EventLog log = null;
            SampleHistory live = history > 0 && port >= 0 ? SampleHistory.forLivePage(history) : null;
            try {
                if (port >= 0) {
                    server = MetricsServer.start(reg.getPrometheusRegistry(), host, port, authenticator, https,
                            live == null ? null : new LivePage(live, runId, model));
                }
                if (eventLog != null) {
                    log = EventLog.open(eventLog, runId, model, eventLogMaxBytes, eventLogKeep);
                }
            } catch (RuntimeException e) {
                if (server != null) {
                    server.close();
                }
                throw e;
            }
            List<SampleSink> sinks = new ArrayList<>();
            sinks.add(exporter);
            if (log != null) {
                sinks.add(log);
                EventLog l = log;
                FunctionCounter.builder("sextant.event.log.write.errors", l, EventLog::writeErrors)
                        .description("Event-log lines that could not be written (disk full, I/O error); training went on.")
                        .tags("run", runId, "model", model).register(reg);
            }
            if (live != null) {
                sinks.add(live);
            }
            if (!conditionActions.isEmpty()) {
                EventLog l = log;
                ConditionWatcher watcher = new ConditionWatcher(e -> {
                    LOG.warn("Sextant: {} at step {}", e.condition(), e.step());
                    if (l != null) {
                        l.note("condition", e.sample().probe(), e.step(), e.condition().name());
                    }
                    if (live != null) {
                        live.note("condition", e.sample().probe(), e.step(), e.condition().name());
                    }
                });
                for (Binding b : conditionActions) {
                    watcher.add(b.condition(), b.action());
                }
                FunctionCounter.builder("sextant.action.failures", watcher, ConditionWatcher::actionFailures)
                        .description("Condition actions (onCondition) that threw; training went on.")
                        .tags("run", runId, "model", model).register(reg);
                sinks.add(watcher);
            }
            sinks.addAll(extraSinks);
            ProbeRunner runner = new ProbeRunner(all, sinks, fixedIntervals ? null : new OverheadGovernor(overheadBudget));
            Gauge.builder("sextant.overhead", runner, ProbeRunner::overheadRatio).baseUnit("ratio")
                    .description("Sextant's training-thread time over training time (Sextant excluded) since the start.")
                    .tags("run", runId, "model", model).register(reg);
            for (ProbeRunner.Scheduled s : all) {
                exporter.intervalChanged(s.probe().name(), 0, s.schedule().every());
            }
            return new SextantListener(this, runner, exporter, server, log, sinks);
        }

        private void validate() {
            if (runId == null || !LABEL_VALUE.matcher(runId).matches()) {
                throw new IllegalArgumentException("runId: '" + runId
                        + "' is not allowed; use 1-64 characters from letters, digits and _ . : -");
            }
            if (model == null || !LABEL_VALUE.matcher(model).matches()) {
                throw new IllegalArgumentException("model: '" + model
                        + "' is not allowed; use 1-64 characters from letters, digits and _ . : -");
            }
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host: must be an address to bind, e.g. 127.0.0.1 or 0.0.0.0");
            }
            if (port < -1 || port > 65535) {
                throw new IllegalArgumentException("port: " + port
                        + " is out of range; use 1-65535, 0 for any free port, or -1 to serve no metrics");
            }
            if (eventLogMaxBytes < 4096) {
                throw new IllegalArgumentException("eventLogMaxBytes: " + eventLogMaxBytes
                        + "; the size cap must be at least 4096 bytes");
            }
            if (eventLogKeep < 0) {
                throw new IllegalArgumentException("eventLogKeep: " + eventLogKeep + "; must be at least 0");
            }
            if (profile == null) {
                throw new IllegalArgumentException("profile: must be DEFAULT or FULL, not null");
            }
            new Profile.Intervals(every, noiseEvery, sharpnessEvery, traceEvery); // names a bad interval
            if (!fixedIntervals) {
                new OverheadGovernor(overheadBudget); // names a bad budget
            }
            if (history < 0 || history > SampleHistory.MAX_CAPACITY) {
                throw new IllegalArgumentException("history: " + history + " samples; use 1-"
                        + SampleHistory.MAX_CAPACITY + ", or 0 for no live page");
            }
            if (probeDataType != DataType.DOUBLE && probeDataType != DataType.FLOAT) {
                throw new IllegalArgumentException("probeDataType: " + probeDataType + "; use DOUBLE or FLOAT");
            }
            if (!defaultProbes && probes.isEmpty()) {
                throw new IllegalArgumentException("probe: no probes; keep the default probes or add one with probe(...)");
            }
        }
    }
}
