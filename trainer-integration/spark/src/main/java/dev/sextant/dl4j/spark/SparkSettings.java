package dev.sextant.dl4j.spark;

import dev.sextant.dl4j.SextantListener;
import dev.sextant.dl4j.parallel.WorkerLabel;
import dev.sextant.schedule.Profile;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * What Sextant does on every executor of a dl4j-spark run: where to push, what to measure, where to
 * log. Serializable: it travels to the executors inside {@link SparkSextantListener}. Checked on the
 * driver by {@link SparkSextant#attach}, so a mistake fails there, before any executor starts.
 *
 * <pre>{@code
 * SparkSettings settings = SparkSettings.pushingTo("http://pushgateway:9091")
 *         .runId("mnist-spark").model("mlp").every(10).pushInterval(Duration.ofSeconds(15));
 * }</pre>
 */
public final class SparkSettings implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern JOB = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    /** Default Pushgateway job: the {@code job} label of every series the executors push. */
    public static final String DEFAULT_JOB = "sextant-spark";
    /** Default push interval. */
    public static final Duration DEFAULT_PUSH_INTERVAL = Duration.ofSeconds(15);

    private final String pushgateway;
    private String job = DEFAULT_JOB;
    private String runId;
    private String model = "model";
    private Profile profile = Profile.DEFAULT;
    private int every = Profile.Intervals.DEFAULTS.every();
    private int noiseEvery = Profile.Intervals.DEFAULTS.noiseEvery();
    private int sharpnessEvery = Profile.Intervals.DEFAULTS.sharpnessEvery();
    private int traceEvery = Profile.Intervals.DEFAULTS.traceEvery();
    private double overheadBudget = 0.03;
    private boolean fixedIntervals;
    private long pushIntervalMillis = DEFAULT_PUSH_INTERVAL.toMillis();
    private String eventLogDir;

    private SparkSettings(String pushgateway) {
        this.pushgateway = pushgateway;
    }

    /** Settings that push to the Pushgateway at {@code url} (e.g. {@code http://pushgateway:9091}). */
    public static SparkSettings pushingTo(String url) {
        return new SparkSettings(url);
    }

    /** The Pushgateway job (default {@value #DEFAULT_JOB}); the {@code job} label of the pushed series. */
    public SparkSettings job(String job) {
        this.job = job;
        return this;
    }

    /** Run id, the {@code run} label (default: the Spark application id). */
    public SparkSettings runId(String runId) {
        this.runId = runId;
        return this;
    }

    /** Model name, the {@code model} label (default {@code model}). */
    public SparkSettings model(String model) {
        this.model = model;
        return this;
    }

    /** As {@link SextantListener.Builder#profile}. */
    public SparkSettings profile(Profile profile) {
        this.profile = profile;
        return this;
    }

    /** As {@link SextantListener.Builder#every}: interval in steps of the progress and weight probes (default 10). */
    public SparkSettings every(int steps) {
        this.every = steps;
        return this;
    }

    /** As {@link SextantListener.Builder#noiseEvery}. */
    public SparkSettings noiseEvery(int steps) {
        this.noiseEvery = steps;
        return this;
    }

    /** As {@link SextantListener.Builder#sharpnessEvery}. */
    public SparkSettings sharpnessEvery(int steps) {
        this.sharpnessEvery = steps;
        return this;
    }

    /** As {@link SextantListener.Builder#traceEvery}. */
    public SparkSettings traceEvery(int steps) {
        this.traceEvery = steps;
        return this;
    }

    /** As {@link SextantListener.Builder#overheadBudget} (default 0.03). */
    public SparkSettings overheadBudget(double fraction) {
        this.overheadBudget = fraction;
        return this;
    }

    /** As {@link SextantListener.Builder#fixedIntervals}. */
    public SparkSettings fixedIntervals() {
        this.fixedIntervals = true;
        return this;
    }

    /**
     * How often each executor pushes while it trains (default 15 s, at least 1 s). Executors also
     * push when a training task ends and when their JVM exits.
     */
    public SparkSettings pushInterval(Duration interval) {
        this.pushIntervalMillis = interval == null ? -1 : interval.toMillis();
        return this;
    }

    /**
     * A folder on every executor's machine for event logs, one per executor and worker slot
     * ({@code <run>-executor-<id>-worker-<n>.jsonl}, appended to), so that nothing is lost while the
     * Pushgateway is down. Default: none.
     */
    public SparkSettings eventLogDir(String dir) {
        this.eventLogDir = dir;
        return this;
    }

    String pushgateway() {
        return pushgateway;
    }

    String job() {
        return job;
    }

    String runId() {
        return runId;
    }

    String model() {
        return model;
    }

    Duration pushInterval() {
        return Duration.ofMillis(pushIntervalMillis);
    }

    /** A copy, so that changes made to these settings after attaching do not reach the executors halfway. */
    SparkSettings copy() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(this);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                return (SparkSettings) in.readObject();
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot copy the Spark settings", e);
        }
    }

    /** The settings with {@code runId} filled in when none was given. */
    SparkSettings withDefaultRunId(String id) {
        if (runId == null) {
            runId = id;
        }
        return this;
    }

    /**
     * Fails with a message naming the setting when one is wrong: the Pushgateway URL, the job, the
     * push interval, and every listener setting (checked by building a listener that serves and logs
     * nothing).
     */
    void validate() {
        if (pushgateway == null || pushgateway.isBlank()) {
            throw new IllegalArgumentException("pushgateway: no URL; give the Pushgateway's address, e.g. http://pushgateway:9091");
        }
        URI uri;
        try {
            uri = URI.create(pushgateway);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pushgateway: '" + pushgateway + "' is not a URL (" + e.getMessage()
                    + "); give the Pushgateway's address, e.g. http://pushgateway:9091", e);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("pushgateway: '" + pushgateway
                    + "' must be an http:// or https:// URL with a host, e.g. http://pushgateway:9091");
        }
        if (job == null || !JOB.matcher(job).matches()) {
            throw new IllegalArgumentException("job: '" + job + "'; use 1-64 characters from A-Z a-z 0-9 _ . : -");
        }
        if (pushIntervalMillis < 1000) {
            throw new IllegalArgumentException("pushInterval: " + (pushIntervalMillis < 0 ? "none" : pushIntervalMillis + " ms")
                    + "; push at most once a second (default " + DEFAULT_PUSH_INTERVAL.toSeconds() + " s)");
        }
        if (eventLogDir != null && eventLogDir.isBlank()) {
            throw new IllegalArgumentException("eventLogDir: blank; give a folder, or leave it unset for no event logs");
        }
        // The longest model name a worker's listener gets; the listener checks it and every other setting.
        listenerBuilder(WorkerLabel.modelName(model, 99), null).build().close();
    }

    /**
     * A listener builder for one worker of an executor: no server (the executor pushes), the given
     * model name and event log, everything else as set here.
     */
    SextantListener.Builder listenerBuilder(String modelName, Path eventLog) {
        SextantListener.Builder b = SextantListener.builder()
                .runId(runId).model(modelName).port(-1).eventLog(eventLog).history(0)
                .profile(profile).every(every).noiseEvery(noiseEvery).sharpnessEvery(sharpnessEvery)
                .traceEvery(traceEvery).overheadBudget(overheadBudget);
        return fixedIntervals ? b.fixedIntervals() : b;
    }

    /** The event log of worker slot {@code worker} on executor {@code executor}, or null for none. */
    Path eventLog(String executor, int worker) {
        return eventLogDir == null ? null
                : Path.of(eventLogDir, runId + "-executor-" + executor + "-worker-" + worker + ".jsonl");
    }
}
