package dev.sextant.dl4j.spark;

import dev.sextant.dl4j.SextantListener;
import dev.sextant.dl4j.parallel.WorkerLabel;
import dev.sextant.export.MetricsExporter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;
import org.deeplearning4j.nn.api.Model;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sextant's state in one executor JVM for one run: the registry every worker's series live in, and
 * the pusher that sends it to the Pushgateway. Created lazily by the first training callback of the
 * run in this JVM and kept until the JVM exits; {@link SparkSextantListener} copies (a fresh one per
 * task) hold no resources and find it here.
 *
 * <p>Workers are the executor's concurrently training tasks. Each task gets the lowest free slot
 * 0..(cores−1), released when the task completes, and its network a {@link SextantListener} whose
 * series carry {@code worker="<slot>"}: labels stay bounded by the executor's cores, never one per
 * task or stage. A slot's series stay in the registry after its task ends (the last values are what
 * the next push reports) until the next task in that slot replaces them.
 *
 * <p>The registry goes to the Pushgateway group
 * {@code job/<job>/app/<app>/run/<run>/model/<model>/executor/<id>/instance/<host>} (run and model
 * in the key so that two runs or models of one application never replace each other's group)
 * every push interval, when a task ends (so every partition's values arrive even if the executor is
 * lost later), and at JVM exit. Pushes run on one daemon thread, never on a training thread; a failed
 * push is logged (once, then every 100th) and counted in {@code sextant_spark_push_failures_total},
 * and the next push sends everything again: the Pushgateway keeps only the latest values, and the
 * event logs ({@link SparkSettings#eventLogDir}) keep every sample.
 */
final class ExecutorSextant {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorSextant.class);
    private static final Map<String, ExecutorSextant> IN_THIS_JVM = new ConcurrentHashMap<>();

    private final SparkSettings settings;
    private final String executor;
    private final Map<String, String> grouping;
    private final PrometheusMeterRegistry registry = MetricsExporter.newRegistry();
    private final PushgatewayClient client;
    private final ScheduledExecutorService pusher;
    private final AtomicBoolean pushPending = new AtomicBoolean();
    private final AtomicBoolean announced = new AtomicBoolean();
    private final Counter partitions;
    private final Counter pushFailures;
    private final List<Slot> slots = new ArrayList<>();
    /** Serialises pushes; separate from the slots' lock so that a slow push never holds up a training thread. */
    private final Object pushLock = new Object();
    private long failedPushes;

    /** A worker slot: the task (or thread) training in it, and the listener of that task's network. */
    private static final class Slot {
        final int index;
        Thread owner;
        boolean taskBound;
        SextantListener listener;

        Slot(int index) {
            this.index = index;
        }

        boolean free() {
            return owner == null || (!taskBound && !owner.isAlive());
        }
    }

    private ExecutorSextant(SparkSettings settings, String app, String executor, String host) {
        this.settings = settings;
        this.executor = executor;
        this.grouping = new LinkedHashMap<>();
        grouping.put("app", app);
        grouping.put("run", settings.runId());
        grouping.put("model", settings.model());
        grouping.put("executor", executor);
        grouping.put("instance", host);
        this.client = new PushgatewayClient(URI.create(settings.pushgateway()));
        registry.config().meterFilter(new WorkerLabel());
        String run = settings.runId();
        String model = settings.model();
        this.partitions = Counter.builder("sextant.spark.partitions.trained")
                .description("Training tasks (one partition each) of this executor that trained with Sextant attached.")
                .tags("run", run, "model", model).register(registry);
        this.pushFailures = Counter.builder("sextant.spark.push.failures")
                .description("Pushes of this executor's metrics that the Pushgateway did not take; the next push sends them again.")
                .tags("run", run, "model", model).register(registry);
        this.pusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sextant-pushgateway-" + run);
            t.setDaemon(true);
            return t;
        });
        long every = settings.pushInterval().toMillis();
        pusher.scheduleWithFixedDelay(this::pushQuietly, every, every, TimeUnit.MILLISECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(this::pushQuietly, "sextant-pushgateway-exit-" + run));
    }

    /**
     * The run's holder in this JVM, created on first use with this JVM's Spark executor id and host
     * name (looked up once, not at every task: the host name may need a DNS lookup).
     */
    static ExecutorSextant of(SparkSettings settings, String app) {
        return IN_THIS_JVM.computeIfAbsent(key(settings, app),
                k -> new ExecutorSextant(settings, app, sparkExecutorId(), hostName()));
    }

    /** As {@link #of(SparkSettings, String)}, with the executor id and host given (for tests). */
    static ExecutorSextant of(SparkSettings settings, String app, String executor, String host) {
        return IN_THIS_JVM.computeIfAbsent(key(settings, app), k -> new ExecutorSextant(settings, app, executor, host));
    }

    private static String key(SparkSettings settings, String app) {
        return settings.pushgateway() + '\n' + settings.job() + '\n' + app + '\n' + settings.runId()
                + '\n' + settings.model();
    }

    private static String sparkExecutorId() {
        SparkEnv env = SparkEnv.get();
        return env == null ? "unknown" : env.executorId();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }

    /** This JVM's Spark executor id, the {@code executor} grouping label. */
    String executor() {
        return executor;
    }

    /** Pushes every run's metrics of this JVM now (the driver in local mode calls it at the end). */
    static void pushAllNow() {
        for (ExecutorSextant e : IN_THIS_JVM.values()) {
            e.pushQuietly();
        }
    }

    /**
     * The listener for {@code model}, a network the calling thread has started to train: in the slot
     * the thread already holds, else in the lowest free slot. Within a Spark task, the slot is freed
     * when the task completes.
     */
    synchronized SextantListener open(Model model) {
        Thread me = Thread.currentThread();
        Slot slot = null;
        for (Slot s : slots) {
            if (s.owner == me) {
                slot = s;
                break;
            }
        }
        if (slot == null) {
            for (Slot s : slots) {
                if (s.free()) {
                    slot = s;
                    break;
                }
            }
        }
        if (slot == null) {
            slot = new Slot(slots.size());
            slots.add(slot);
        }
        if (slot.listener != null) {
            slot.listener.close();
            WorkerLabel.removeSeries(registry, slot.index);
        }
        slot.listener = settings.listenerBuilder(WorkerLabel.modelName(settings.model(), slot.index),
                settings.eventLog(executor, slot.index)).registry(registry).build();
        slot.owner = me;
        TaskContext task = TaskContext.get();
        slot.taskBound = task != null;
        if (task != null) {
            Slot finished = slot;
            task.addTaskCompletionListener((TaskCompletionListener) ctx -> taskCompleted(finished));
        }
        return slot.listener;
    }

    private void taskCompleted(Slot slot) {
        synchronized (this) {
            slot.owner = null;
            slot.listener.close(); // flushes and closes its event log; its gauges keep the last values
        }
        partitions.increment();
        pushSoon();
    }

    /** True once per JVM (until {@link #unannounce()}): whether the caller should report this executor to the driver. */
    boolean announce() {
        return announced.compareAndSet(false, true);
    }

    /** The report did not reach the driver (its task failed): the next task reports again. */
    void unannounce() {
        announced.set(false);
    }

    /** Asks the push thread for a push now (at most one waits at a time). */
    void pushSoon() {
        if (pushPending.compareAndSet(false, true)) {
            try {
                pusher.execute(() -> {
                    pushPending.set(false);
                    pushQuietly();
                });
            } catch (RuntimeException rejected) {
                pushPending.set(false);
            }
        }
    }

    /** Pushes the registry; a failure is logged and counted, never thrown. */
    private void pushQuietly() {
        synchronized (pushLock) {
            try {
                client.put(settings.job(), grouping, registry.scrape(PushgatewayClient.TEXT_FORMAT));
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                pushFailures.increment();
                if (failedPushes++ % 100 == 0) {
                    LOG.warn("Sextant could not push executor {}'s metrics to the Pushgateway {} ({} failed pushes so"
                            + " far; training goes on, the event logs keep every sample): {}", executor,
                            settings.pushgateway(), failedPushes, e.toString());
                }
            }
        }
    }

    /** The runs' holders in this JVM (for tests). */
    static List<ExecutorSextant> inThisJvm() {
        return List.copyOf(IN_THIS_JVM.values());
    }

    /** The run this holder serves. */
    String runId() {
        return settings.runId();
    }

    /** The registry of this executor's series (for tests). */
    PrometheusMeterRegistry registry() {
        return registry;
    }
}
