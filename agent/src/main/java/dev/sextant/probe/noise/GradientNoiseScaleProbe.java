package dev.sextant.probe.noise;

import dev.sextant.probe.MetricSpec;
import dev.sextant.probe.ParamLayout;
import dev.sextant.probe.ParamSegment;
import dev.sextant.probe.Probe;
import dev.sextant.probe.Readings;
import dev.sextant.probe.StepView;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * The gradient noise scale of McCandlish et al. 2018 ("An Empirical Model of Large-Batch
 * Training", arXiv 1812.06162): {@code B_simple = tr(Σ)/|G|²}, where Σ is the covariance of
 * per-example gradients and G the true gradient. It estimates the critical batch size: training
 * with a batch well below it gains almost linearly from a larger batch; well above it, extra
 * examples per step buy little.
 *
 * <p>Each sample takes k micro-batch gradients of the current batch ({@link MicroBatchGradients}:
 * b = ⌊B/k⌋ rows each, at the parameters the batch was drawn for, in the evaluation type) and
 * forms the unbiased estimates of tr(Σ) and |G|² of appendix A.1 ({@link NoiseScaleEstimate}),
 * with {@code B_small = b} and {@code B_big = k·b}. It exports
 * <ul>
 *   <li>the raw estimates of this sample: tr(Σ), |G|² and their ratio (noisy; the ratio can be
 *       negative or huge when the |G|² estimate is near 0);</li>
 *   <li>bias-corrected exponential moving averages of tr(Σ) and |G|² ({@link BiasCorrectedEma}),
 *       and {@code B_simple_smoothed = EMA(tr Σ)/EMA(|G|²)}: the ratio of the averages, never an
 *       average of ratios, because each estimator is unbiased but their ratio is not (A.1);</li>
 *   <li>{@code B_simple_smoothed / B}, with B the training batch size: the one number an alert
 *       needs.</li>
 * </ul>
 * Values are per layer and parameter kind (the estimators restricted to that segment's
 * coordinates: tr(Σ) and |G|² add up over segments, their ratio does not) and for the whole model
 * (layer and param {@code all}).
 *
 * <p><b>Steps without an estimate.</b> When the batch has fewer than k examples, or an estimate is
 * not finite (NaN or infinite gradients), the probe writes NaN for every metric of that step
 * instead of throwing, and the moving averages are left as they were: the NaN is visible, and
 * the averages pick up again at the next good step. The raw values keep the non-finite numbers
 * as computed. The rule applies per label set: a segment whose own estimate is finite takes its
 * sample even when another segment's (and so the whole model's) is not.
 *
 * <p>Cost per sample: k gradient evaluations of b rows (together about one evaluation of the
 * batch plus k−1 calls' overhead) and a few passes over a k×P buffer.
 */
public final class GradientNoiseScaleProbe implements Probe {
    /** Layer and param label of the whole-model values. */
    public static final String ALL = "all";
    public static final int DEFAULT_MICRO_BATCHES = 4;
    public static final double DEFAULT_EMA_DECAY = 0.9;

    public static final MetricSpec NOISE_SCALE = MetricSpec.perParameter("sextant_gradient_noise_scale", "examples",
            "Simple gradient noise scale B_simple = tr(Sigma)/|G|^2 (McCandlish et al. 2018) from this sample's"
                    + " micro-batches alone; noisy, can be negative. Watch the smoothed series.");
    public static final MetricSpec NOISE_SCALE_SMOOTHED = MetricSpec.perParameter(
            "sextant_gradient_noise_scale_smoothed", "examples",
            "Gradient noise scale EMA(tr Sigma)/EMA(|G|^2), a ratio of bias-corrected moving averages:"
                    + " an estimate of the critical batch size.");
    public static final MetricSpec SIGNAL = MetricSpec.perParameter("sextant_gradient_signal_sq_norm", null,
            "Unbiased estimate of |G|^2, the squared norm of the expected gradient, from this sample's"
                    + " micro-batches (McCandlish et al. 2018, A.1); can be negative when noise dominates.");
    public static final MetricSpec SIGNAL_SMOOTHED = MetricSpec.perParameter("sextant_gradient_signal_sq_norm_smoothed",
            null, "Bias-corrected exponential moving average of the |G|^2 estimate.");
    public static final MetricSpec NOISE_TRACE = MetricSpec.perParameter("sextant_gradient_noise_trace", null,
            "Unbiased estimate of tr(Sigma), the trace of the per-example gradient covariance, from this"
                    + " sample's micro-batches (McCandlish et al. 2018, A.1).");
    public static final MetricSpec NOISE_TRACE_SMOOTHED = MetricSpec.perParameter("sextant_gradient_noise_trace_smoothed",
            null, "Bias-corrected exponential moving average of the tr(Sigma) estimate.");
    public static final MetricSpec BATCH_RATIO = MetricSpec.global("sextant_gradient_noise_scale_batch", "ratio",
            "Smoothed gradient noise scale over the training batch size: well above 1, a larger batch would"
                    + " still cut the steps needed almost proportionally; well below 1, the batch is larger"
                    + " than useful.");

    private final MicroBatchGradients gradients;
    private final double emaDecay;
    private final boolean perLayer;
    private final SmoothedEstimate total;
    private List<ParamSegment> segments;
    private SmoothedEstimate[] perSegment;

    private GradientNoiseScaleProbe(Builder b) {
        this.gradients = new MicroBatchGradients(b.microBatches);
        this.emaDecay = b.emaDecay;
        this.perLayer = b.perLayer;
        this.total = new SmoothedEstimate(emaDecay);
    }

    /** The probe with k = {@value #DEFAULT_MICRO_BATCHES}, EMA decay {@value #DEFAULT_EMA_DECAY}, per-layer values. */
    public static GradientNoiseScaleProbe withDefaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "noise_scale";
    }

    @Override
    public List<MetricSpec> metrics() {
        return List.of(NOISE_SCALE, NOISE_SCALE_SMOOTHED, SIGNAL, SIGNAL_SMOOTHED, NOISE_TRACE, NOISE_TRACE_SMOOTHED,
                BATCH_RATIO);
    }

    /** k, the number of micro-batches per sample. */
    public int microBatches() {
        return gradients.count();
    }

    public double emaDecay() {
        return emaDecay;
    }

    @Override
    public void sample(StepView step, Readings out) {
        ParamLayout layout = step.layout();
        if (perLayer && !layout.segments().equals(segments)) {
            segments = layout.segments();
            perSegment = new SmoothedEstimate[segments.size()];
            for (int i = 0; i < perSegment.length; i++) {
                perSegment[i] = new SmoothedEstimate(emaDecay);
            }
        }
        if (!gradients.evaluate(step)) {
            writeUnavailable(layout, out);
            return;
        }
        int k = gradients.count();
        int b = gradients.microBatchSize();
        INDArray squaredDeviations = gradients.squaredDeviationSums();
        INDArray meanSquared = gradients.mean().mul(gradients.mean());
        if (perLayer) {
            for (int i = 0; i < perSegment.length; i++) {
                ParamSegment s = segments.get(i);
                NoiseScaleEstimate e = NoiseScaleEstimate.fromMicroBatches(
                        MicroBatchGradients.segmentSum(layout, squaredDeviations, s),
                        MicroBatchGradients.segmentSum(layout, meanSquared, s), k, b);
                write(e, perSegment[i], out, s.layer(), s.param());
            }
        }
        NoiseScaleEstimate e = NoiseScaleEstimate.fromMicroBatches(squaredDeviations.sumNumber().doubleValue(),
                meanSquared.sumNumber().doubleValue(), k, b);
        double smoothed = write(e, total, out, ALL, ALL);
        out.put(BATCH_RATIO, smoothed / step.batchSize());
    }

    /** Writes one label set's raw and smoothed values; returns the smoothed noise scale (NaN if none). */
    private static double write(NoiseScaleEstimate e, SmoothedEstimate smoothed, Readings out, String layer, String param) {
        out.put(NOISE_TRACE, e.trace(), layer, param);
        out.put(SIGNAL, e.signal(), layer, param);
        out.put(NOISE_SCALE, e.noiseScale(), layer, param);
        double trace = Double.NaN;
        double signal = Double.NaN;
        if (e.isFinite()) {
            smoothed.trace.add(e.trace());
            smoothed.signal.add(e.signal());
            trace = smoothed.trace.value();
            signal = smoothed.signal.value();
        }
        out.put(NOISE_TRACE_SMOOTHED, trace, layer, param);
        out.put(SIGNAL_SMOOTHED, signal, layer, param);
        out.put(NOISE_SCALE_SMOOTHED, trace / signal, layer, param);
        return trace / signal;
    }

    private void writeUnavailable(ParamLayout layout, Readings out) {
        if (perLayer) {
            for (ParamSegment s : layout.segments()) {
                writeNaN(out, s.layer(), s.param());
            }
        }
        writeNaN(out, ALL, ALL);
        out.put(BATCH_RATIO, Double.NaN);
    }

    private static void writeNaN(Readings out, String layer, String param) {
        for (MetricSpec m : List.of(NOISE_TRACE, SIGNAL, NOISE_SCALE, NOISE_TRACE_SMOOTHED, SIGNAL_SMOOTHED,
                NOISE_SCALE_SMOOTHED)) {
            out.put(m, Double.NaN, layer, param);
        }
    }

    /** The two moving averages whose ratio is the smoothed noise scale. */
    private static final class SmoothedEstimate {
        final BiasCorrectedEma trace;
        final BiasCorrectedEma signal;

        SmoothedEstimate(double decay) {
            trace = new BiasCorrectedEma(decay);
            signal = new BiasCorrectedEma(decay);
        }
    }

    /** Configuration; {@link #build()} checks every field and names the one out of range. */
    public static final class Builder {
        private int microBatches = DEFAULT_MICRO_BATCHES;
        private double emaDecay = DEFAULT_EMA_DECAY;
        private boolean perLayer = true;

        private Builder() {
        }

        /**
         * k, the number of micro-batches the batch is split into (at least 2; default
         * {@value #DEFAULT_MICRO_BATCHES}). Larger k lowers the variance of the tr(Σ) estimate
         * (∝ 1/(k−1)) at the cost of k gradient calls of B/k rows; a batch with fewer than k
         * examples gives NaN. Memory: a k×P buffer of the evaluation type.
         */
        public Builder microBatches(int k) {
            this.microBatches = k;
            return this;
        }

        /**
         * Decay β of the moving averages per sample (not per training step), in [0, 1); default
         * {@value #DEFAULT_EMA_DECAY}: about the last 1/(1−β) samples count.
         */
        public Builder emaDecay(double decay) {
            this.emaDecay = decay;
            return this;
        }

        /** Whether to export per layer and parameter kind besides the whole model (default true). */
        public Builder perLayer(boolean perLayer) {
            this.perLayer = perLayer;
            return this;
        }

        public GradientNoiseScaleProbe build() {
            MicroBatchGradients.checkCount("microBatches", microBatches);
            BiasCorrectedEma.checkDecay("emaDecay", emaDecay);
            return new GradientNoiseScaleProbe(this);
        }
    }
}
