package dev.sextant.dl4j.spark;

import dev.sextant.dl4j.SextantListener;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskFailureListener;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The listener dl4j-spark sends to the executors ({@code sparkNet.setListeners(...)}, done by
 * {@link SparkSextant#attach}). It holds only settings and Spark accumulators: Spark deserializes a
 * fresh copy for every task, and each copy hands its callbacks to the {@link SextantListener} of
 * the task's network, kept with the run's registry and pusher in a per-JVM holder created on the
 * first callback.
 *
 * <p>Nothing it throws reaches training: a failure to set Sextant up is logged once per task and the
 * task trains on without it; what the per-worker listener's probes throw is contained and counted
 * there ({@code sextant_probe_failures_total}).
 */
public final class SparkSextantListener implements TrainingListener, Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SparkSextantListener.class);

    private final SparkSettings settings;
    private final String app;
    private final RunCounters counters;

    private transient Model bound;
    private transient SextantListener worker;
    private transient boolean unavailable;

    SparkSextantListener(SparkSettings settings, String app, RunCounters counters) {
        this.settings = settings;
        this.app = app;
        this.counters = counters;
    }

    /** The per-worker listener of {@code model}, set up on its first callback; null when that failed. */
    private SextantListener worker(Model model) {
        if (model == bound) {
            return worker;
        }
        if (unavailable) {
            return null;
        }
        try {
            ExecutorSextant holder = ExecutorSextant.of(settings, app);
            SextantListener l = holder.open(model);
            if (bound == null) {
                counters.partitions().add(1);
            }
            announce(holder);
            bound = model;
            worker = l;
            return l;
        } catch (RuntimeException | LinkageError e) {
            unavailable = true;
            LOG.warn("Sextant could not start on this executor's task; the task trains on without it", e);
            return null;
        }
    }

    /**
     * Adds this executor to the run's executors once per JVM; again if the task that added it fails
     * (Spark drops a failed task's accumulator updates).
     */
    private void announce(ExecutorSextant holder) {
        if (!holder.announce()) {
            return;
        }
        counters.executors().add(holder.executor());
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskFailureListener((TaskFailureListener) (ctx, error) -> holder.unannounce());
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        SextantListener l = worker(model);
        if (l != null) {
            l.iterationDone(model, iteration, epoch);
            counters.steps().add(1);
            counters.examples().add(model.batchSize());
        }
    }

    @Override
    public void onGradientCalculation(Model model) {
        forward(model, l -> l.onGradientCalculation(model));
    }

    @Override
    public void onBackwardPass(Model model) {
        forward(model, l -> l.onBackwardPass(model));
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        forward(model, l -> l.onForwardPass(model, activations));
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        forward(model, l -> l.onForwardPass(model, activations));
    }

    @Override
    public void onEpochStart(Model model) {
        forward(model, l -> l.onEpochStart(model));
    }

    @Override
    public void onEpochEnd(Model model) {
        forward(model, l -> l.onEpochEnd(model));
    }

    /** Hands a callback to the listener of {@code model}'s worker, when there is one. */
    private void forward(Model model, Consumer<SextantListener> callback) {
        SextantListener l = worker(model);
        if (l != null) {
            callback.accept(l);
        }
    }
}
