package dev.sextant.dl4j.parallel;

import dev.sextant.export.MetricsExporter;
import dev.sextant.probe.MetricSpec;
import dev.sextant.probe.noise.BiasCorrectedEma;
import dev.sextant.probe.noise.NoiseScaleEstimate;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;

/**
 * The gradient noise scale of McCandlish et al. 2018 (arXiv 1812.06162, appendix A.1) from the raw
 * gradients that k data-parallel workers compute in the same round, at no extra gradient cost.
 *
 * <p>In round r each worker i computes the mean gradient gᵢ of its own b examples. With all k at
 * the same parameters the gᵢ are k micro-batch gradients of one batch of k·b examples, and their
 * mean ḡ is that big batch's gradient: {@code B_small = b}, {@code B_big = k·b}, and
 * {@link NoiseScaleEstimate#fromMicroBatches} gives the unbiased estimates
 * {@code tr(Σ) ≈ b·Q/(k−1)} and {@code |G|² ≈ ‖ḡ‖² − Q/(k(k−1))}, {@code Q = Σᵢ‖gᵢ − ḡ‖²}: the same
 * estimator as the single-process micro-batch probe.
 *
 * <p><b>Validity.</b> The estimator assumes the gᵢ are taken at the same parameters. In
 * ParallelWrapper's AVERAGING mode with averaging frequency 1 every round ends with the workers'
 * parameters averaged and copied back to all of them, so every round starts from identical
 * parameters. With a larger averaging frequency the workers drift apart between averagings (and
 * in SHARED_GRADIENTS mode each applies its own share of thresholded updates): Q then also holds
 * the spread of the parameters, not only the sampling noise, and tr(Σ) comes out too large. This
 * class checks the condition itself instead of trusting the configuration: a round is valid when
 * all k workers reported, with the same batch size, the same parameter count, and parameters
 * equal bit for bit to each other. An invalid round exports NaN estimates and leaves the moving
 * averages alone; {@code sextant_worker_noise_scale_valid} says which case the last round was.
 *
 * <p>A round is identified by the fit and the count of the worker's steps within it: ParallelWrapper
 * hands every worker one batch per round and waits for all before the next. (Not by iteration count:
 * a replica copies the wrapper network's counter when its thread starts, which races with worker 0's
 * first step.) A round in which not every worker reports (the last, short round of a fit) is
 * dropped when the next sampled round begins.
 * Thread-safe: the workers call {@link #report} concurrently; the last one of a round computes.
 */
final class WorkerGradientNoise {
    static final double EMA_DECAY = 0.9;

    static final MetricSpec NOISE_SCALE = MetricSpec.global("sextant_worker_gradient_noise_scale", "examples",
            "Gradient noise scale B_simple = tr(Sigma)/|G|^2 (McCandlish et al. 2018) of this round, from the k"
                    + " ParallelWrapper workers' raw gradients as micro-batches (B_small = per-worker batch,"
                    + " B_big = k times it); NaN when the round is not valid.");
    static final MetricSpec NOISE_SCALE_SMOOTHED = MetricSpec.global("sextant_worker_gradient_noise_scale_smoothed",
            "examples", "EMA(tr Sigma)/EMA(|G|^2) over valid sampled rounds of the workers' gradients:"
                    + " the critical batch size estimate, in examples.");
    static final MetricSpec NOISE_TRACE = MetricSpec.global("sextant_worker_gradient_noise_trace", null,
            "Unbiased tr(Sigma) = b*Q/(k-1) from the k workers' mean gradients g_i of b examples each,"
                    + " Q = sum_i |g_i - mean g|^2; NaN when the round is not valid.");
    static final MetricSpec SIGNAL = MetricSpec.global("sextant_worker_gradient_signal_sq_norm", null,
            "Unbiased |G|^2 = |mean g|^2 - Q/(k(k-1)) from the k workers' mean gradients; NaN when the round"
                    + " is not valid.");
    static final MetricSpec VALID = MetricSpec.global("sextant_worker_noise_scale_valid", null,
            "1 when the last sampled round's k workers had bit-identical parameters and equal batch sizes"
                    + " (AVERAGING mode, averaging frequency 1), so the worker noise scale is valid; 0 otherwise.");

    /** Every metric this class exports. */
    static List<MetricSpec> metrics() {
        return List.of(NOISE_SCALE, NOISE_SCALE_SMOOTHED, NOISE_TRACE, SIGNAL, VALID);
    }

    private final int workers;
    private final int every;
    private final MetricsExporter exporter;
    private final BiasCorrectedEma trace = new BiasCorrectedEma(EMA_DECAY);
    private final BiasCorrectedEma signal = new BiasCorrectedEma(EMA_DECAY);
    private final INDArray[] gradients;
    private final boolean[] reported;
    private Object fit;
    private long round = Long.MIN_VALUE;
    private int count;
    private int batchSize;
    private INDArray referenceParams;
    private boolean consistent;
    private NoiseScaleEstimate last;
    private long completedRounds;
    private volatile RoundObserver observer = (round, estimate, params) -> { };

    /**
     * Sees every complete round: its number in the fit, the estimate (null when the round was not
     * valid) and the parameters of its first reporting worker (a buffer reused next round: copy it).
     */
    interface RoundObserver {
        void completed(long round, NoiseScaleEstimate estimate, INDArray params);
    }

    /**
     * @param workers  k, the number of workers (at least 2)
     * @param every    sample every this many rounds (by iteration count)
     * @param exporter where the gauges go; they are registered here, with no worker label
     */
    WorkerGradientNoise(int workers, int every, MetricsExporter exporter) {
        if (workers < 2) {
            throw new IllegalArgumentException("workers: " + workers + "; the worker noise scale needs at least 2");
        }
        if (every < 1) {
            throw new IllegalArgumentException("noiseEvery: " + every + " rounds; must be at least 1");
        }
        this.workers = workers;
        this.every = every;
        this.exporter = exporter;
        this.gradients = new INDArray[workers];
        this.reported = new boolean[workers];
        for (MetricSpec m : metrics()) {
            exporter.set(m, List.of(), null, Double.NaN);
        }
    }

    /** Whether round {@code round} is sampled: the workers report only then. */
    boolean due(long round) {
        return round % every == 0;
    }

    /**
     * Worker {@code worker}'s raw gradient of round {@code round} of fit {@code fit}, summed over its batch (DL4J's
     * gradient view at {@code onGradientCalculation}), and its parameters at that moment. Both are
     * copied; the caller may let DL4J overwrite them right after.
     */
    synchronized void report(Object fit, long round, int worker, INDArray summedGradient, INDArray params, int batchSize) {
        if (worker < 0 || worker >= workers) {
            return;
        }
        try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            if (round != this.round || fit != this.fit) {
                begin(fit, round, params, batchSize);
            }
            if (reported[worker]) {
                consistent = false; // two reports from one worker in one round: not the k-worker estimator
                return;
            }
            reported[worker] = true;
            count++;
            if (batchSize != this.batchSize || params.length() != referenceParams.length()
                    || summedGradient.length() != referenceParams.length()) {
                consistent = false;
            } else if (consistent && referenceParams.distance1(params) != 0.0) {
                consistent = false; // includes NaN: a non-finite parameter never compares equal
            }
            if (consistent) {
                INDArray g = gradients[worker];
                if (g == null || g.length() != summedGradient.length()) {
                    g = Nd4j.createUninitialized(DataType.DOUBLE, summedGradient.length());
                    gradients[worker] = g;
                }
                // The view holds the batch sum; the mean gradient is what the estimator takes.
                g.assign(summedGradient.reshape(summedGradient.length())).divi(batchSize);
            }
            if (count == workers) {
                complete();
                this.fit = null; // a later report starts a new round
            }
        }
    }

    private void begin(Object fit, long round, INDArray params, int batchSize) {
        this.fit = fit;
        this.round = round;
        this.count = 0;
        this.batchSize = batchSize;
        this.consistent = batchSize > 0;
        Arrays.fill(reported, false);
        if (referenceParams == null || referenceParams.length() != params.length()
                || referenceParams.dataType() != params.dataType()) {
            referenceParams = Nd4j.createUninitialized(params.dataType(), params.length());
        }
        referenceParams.assign(params.reshape(params.length()));
    }

    private void complete() {
        completedRounds++;
        if (!consistent) {
            last = null;
            write(Double.NaN, Double.NaN, false);
            observer.completed(round, null, referenceParams);
            return;
        }
        // ḡ = (1/k)Σgᵢ, Q = Σᵢ‖gᵢ − ḡ‖² (McCandlish et al. 2018, A.1, in the micro-batch form of NoiseScaleEstimate).
        INDArray mean = gradients[0].dup();
        for (int i = 1; i < workers; i++) {
            mean.addi(gradients[i]);
        }
        mean.divi(workers);
        double q = 0;
        for (int i = 0; i < workers; i++) {
            double d = gradients[i].distance2(mean);
            q += d * d;
        }
        double meanNorm = mean.norm2Number().doubleValue();
        NoiseScaleEstimate e = NoiseScaleEstimate.fromMicroBatches(q, meanNorm * meanNorm, workers, batchSize);
        last = e;
        write(e.trace(), e.signal(), true);
        observer.completed(round, e, referenceParams);
    }

    void observe(RoundObserver observer) {
        this.observer = observer;
    }

    private void write(double traceValue, double signalValue, boolean valid) {
        exporter.set(NOISE_TRACE, List.of(), null, traceValue);
        exporter.set(SIGNAL, List.of(), null, signalValue);
        exporter.set(NOISE_SCALE, List.of(), null, traceValue / signalValue);
        exporter.set(VALID, List.of(), null, valid ? 1 : 0);
        if (valid && Double.isFinite(traceValue) && Double.isFinite(signalValue)) {
            trace.add(traceValue);
            signal.add(signalValue);
            exporter.set(NOISE_SCALE_SMOOTHED, List.of(), null, trace.value() / signal.value());
        }
    }

    /** The last complete round's estimate, or null when it was not valid or none completed yet. */
    synchronized NoiseScaleEstimate lastEstimate() {
        return last;
    }

    /** Rounds in which all k workers reported (valid or not). */
    synchronized long completedRounds() {
        return completedRounds;
    }
}
