package dev.sextant.probe.noise;

import dev.sextant.probe.MetricSpec;
import dev.sextant.probe.ParamLayout;
import dev.sextant.probe.ParamSegment;
import dev.sextant.probe.Probe;
import dev.sextant.probe.Readings;
import dev.sextant.probe.StepView;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * Batch-size tests and gradient signal-to-noise statistics from k micro-batch gradients gᵢ of the
 * current batch ({@link MicroBatchGradients}: b = ⌊B/k⌋ examples each, mean ḡ), as in Cockpit
 * (Schneider et al. 2021) with micro-batches in place of single examples:
 * <ul>
 *   <li>norm test (Byrd et al. 2012): {@code sqrt(Σᵢ‖gᵢ−ḡ‖² / (k(k−1)‖ḡ‖²))};</li>
 *   <li>inner-product test (Bollapragada et al. 2018):
 *       {@code sqrt(Σᵢ(gᵢᵀḡ − ‖ḡ‖²)² / (k(k−1)‖ḡ‖⁴))};</li>
 *   <li>orthogonality test (Bollapragada et al. 2018):
 *       {@code sqrt(Σᵢ‖gᵢ − (gᵢᵀḡ/‖ḡ‖²)ḡ‖² / (k(k−1)‖ḡ‖²))};</li>
 *   <li>gradient signal-to-noise ratio (Liu et al. 2020), {@code ḡⱼ² / Var[gⱼ]} per parameter j
 *       with the unbiased variance across the k micro-batches, averaged over parameters;</li>
 *   <li>the mean cosine between pairs of micro-batch gradients.</li>
 * </ul>
 * The norm test and the signal-to-noise ratio are also given per layer and parameter kind
 * (restricted to the segment's coordinates); the others only for the whole model, where their
 * projections onto ḡ mean something.
 *
 * <p><b>Micro-batches standing in for examples.</b> The papers form these tests from per-example
 * gradients gₙ of a batch of B, e.g. {@code (1/(B(B−1)))Σₙ‖gₙ − ḡ‖²}, an unbiased estimate of
 * {@code tr(Σ)/B = E‖ḡ − G‖²}, the variance of the batch gradient around the true gradient G
 * (Σ the per-example covariance). DL4J gives no per-example gradients, so the probe uses k
 * micro-batch means. A micro-batch mean has covariance {@code Σ/b}, and the same formula over k of
 * them, {@code (1/(k(k−1)))Σᵢ‖gᵢ − ḡ‖²}, estimates {@code tr(Σ/b)/k = tr(Σ)/(k·b)}: again the
 * variance of the mean gradient of the k·b covered examples. So the three tests estimate the same
 * quantities as their per-example versions for a batch of k·b examples, and a threshold θ (pass
 * when the value is ≤ θ) keeps its meaning; what changes is precision. The
 * variance is estimated from k−1 degrees of freedom instead of B−1, so one reading scatters by a
 * relative ≈ {@code sqrt(1/(2(k−1)r))} (r the effective rank tr(Σ)²/tr(Σ²) of the noise, Gaussian
 * case): judge a threshold over several samples, not one. The {@code ‖ḡ‖²} in the
 * denominators is biased upwards by {@code tr(Σ)/(k·b)} exactly as in the per-example tests.
 *
 * <p>The signal-to-noise ratio and the cosine, in contrast, describe the micro-batch gradients
 * themselves and so depend on b: the variance across micro-batches is {@code Var/b} of the
 * per-example variance, so the exported ratio is about b times the single-example ratio of Liu et
 * al. 2020 (plus about 1/k from the noise in ḡⱼ²); and two independent micro-batch gradients
 * have expected inner product |G|² and squared norms {@code |G|² + tr(Σ)/b}, so the mean cosine is
 * about {@code 1/(1 + B_simple/b)}: near 1 when b is well above the noise scale, near 0 when the
 * micro-batches are mostly noise.
 *
 * <p><b>Parameters without noise.</b> A parameter whose standard deviation across micro-batches
 * is below k·u·|ḡⱼ| (u the unit roundoff of the evaluation type; this includes every parameter
 * whose gradient is exactly 0 in all micro-batches, such as dead units) has a ratio of 0/0 or one
 * limited only by rounding. Such parameters are left out of the mean and counted in
 * {@code sextant_gradient_snr_excluded_parameters}; the mean is NaN when all are left out.
 *
 * <p>All parameter-sized work is ND4J ops on the k×P matrix (column means, column norms,
 * {@code D·ḡ}, {@code D·Dᵀ}, with D the deviations {@code gᵢ − ḡ}); only k and k×k values reach the
 * host. A batch with fewer than k examples gives NaN for every metric (no exception).
 */
public final class GradientTestsProbe implements Probe {
    /** Layer and param label of the whole-model values. */
    public static final String ALL = "all";
    public static final int DEFAULT_MICRO_BATCHES = 4;

    public static final MetricSpec NORM_TEST = MetricSpec.perParameter("sextant_gradient_norm_test", null,
            "Norm test sqrt(sum_i |g_i - g|^2 / (k(k-1)|g|^2)) over k micro-batch gradients g_i with mean g"
                    + " (Byrd et al. 2012): relative standard error of the batch gradient; <= theta means the"
                    + " batch is large enough.");
    public static final MetricSpec INNER_PRODUCT_TEST = MetricSpec.global("sextant_gradient_inner_product_test", null,
            "Inner-product test sqrt(sum_i (g_i.g - |g|^2)^2 / (k(k-1)|g|^4)) over k micro-batch gradients"
                    + " (Bollapragada et al. 2018): noise along the gradient, relative to |g|^2.");
    public static final MetricSpec ORTHOGONALITY_TEST = MetricSpec.global("sextant_gradient_orthogonality_test", null,
            "Orthogonality test sqrt(sum_i |g_i - (g_i.g/|g|^2) g|^2 / (k(k-1)|g|^2)) over k micro-batch"
                    + " gradients (Bollapragada et al. 2018): noise across the gradient, relative to |g|.");
    public static final MetricSpec SNR = MetricSpec.perParameter("sextant_gradient_snr", null,
            "Mean over parameters of the gradient signal-to-noise ratio mean_j^2 / var_j across k micro-batch"
                    + " gradients of B/k examples (about B/k times the single-example ratio).");
    public static final MetricSpec SNR_EXCLUDED = MetricSpec.perParameter("sextant_gradient_snr_excluded_parameters",
            null, "Parameters left out of the mean signal-to-noise ratio: no variance across micro-batches"
                    + " beyond rounding (e.g. gradients that are exactly 0).");
    public static final MetricSpec COSINE = MetricSpec.global("sextant_gradient_micro_batch_cosine", null,
            "Mean cosine between pairs of micro-batch gradients: about 1/(1 + B_simple/(B/k)).");

    private final MicroBatchGradients gradients;
    private final boolean perLayer;

    private GradientTestsProbe(Builder b) {
        this.gradients = new MicroBatchGradients(b.microBatches);
        this.perLayer = b.perLayer;
    }

    /** The probe with k = {@value #DEFAULT_MICRO_BATCHES} and per-layer values. */
    public static GradientTestsProbe withDefaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "gradient_tests";
    }

    @Override
    public List<MetricSpec> metrics() {
        return List.of(NORM_TEST, INNER_PRODUCT_TEST, ORTHOGONALITY_TEST, SNR, SNR_EXCLUDED, COSINE);
    }

    /** k, the number of micro-batches per sample. */
    public int microBatches() {
        return gradients.count();
    }

    @Override
    public void sample(StepView step, Readings out) {
        ParamLayout layout = step.layout();
        if (!gradients.evaluate(step)) {
            writeUnavailable(layout, out);
            return;
        }
        int k = gradients.count();
        double kk1 = (double) k * (k - 1);
        INDArray mean = gradients.mean();
        INDArray deviations = gradients.deviations();
        INDArray squaredDeviations = gradients.squaredDeviationSums();
        INDArray meanSquared = mean.mul(mean);

        // Per-parameter signal-to-noise ratio ḡⱼ²/Var[gⱼ], Var with 1/(k−1); parameters whose
        // variance is at or below (k·u·ḡⱼ)² are masked out (mask 1) rather than divided by ~0.
        INDArray variance = squaredDeviations.div(k - 1);
        double resolution = k * gradients.unitRoundoff();
        INDArray excluded = variance.sub(meanSquared.mul(resolution * resolution)).lte(0.0)
                .castTo(variance.dataType());
        INDArray snr = meanSquared.div(variance.add(excluded)).muli(excluded.rsub(1.0));

        if (perLayer) {
            for (ParamSegment s : layout.segments()) {
                double q = MicroBatchGradients.segmentSum(layout, squaredDeviations, s);
                double a = MicroBatchGradients.segmentSum(layout, meanSquared, s);
                double left = MicroBatchGradients.segmentSum(layout, excluded, s);
                out.put(NORM_TEST, Math.sqrt(q / (kk1 * a)), s.layer(), s.param());
                out.put(SNR, MicroBatchGradients.segmentSum(layout, snr, s) / (s.length() - left), s.layer(), s.param());
                out.put(SNR_EXCLUDED, left, s.layer(), s.param());
            }
        }
        double q = squaredDeviations.sumNumber().doubleValue();
        double a = meanSquared.sumNumber().doubleValue();
        double left = excluded.sumNumber().doubleValue();
        out.put(NORM_TEST, Math.sqrt(q / (kk1 * a)), ALL, ALL);
        out.put(SNR, snr.sumNumber().doubleValue() / (layout.size() - left), ALL, ALL);
        out.put(SNR_EXCLUDED, left, ALL, ALL);

        // pᵢ = dᵢᵀḡ = gᵢᵀḡ − ‖ḡ‖² (D·ḡ, k values) and the Gram matrix dᵢᵀdⱼ (D·Dᵀ, k×k).
        INDArray meanColumn = mean.reshape(mean.length(), 1);
        double[] p = deviations.mmul(meanColumn).toDoubleVector(); // host: k values
        double[][] gram = deviations.mmul(deviations.transpose()).toDoubleMatrix(); // host: k×k
        double sumP2 = 0;
        for (double pi : p) {
            sumP2 += pi * pi;
        }
        // Inner-product test, Bollapragada et al. 2018: Σᵢ(gᵢᵀḡ − ‖ḡ‖²)² / (k(k−1)‖ḡ‖⁴).
        out.put(INNER_PRODUCT_TEST, Math.sqrt(sumP2 / (kk1 * a * a)));
        out.put(COSINE, meanPairwiseCosine(gram, p, a));
        // Orthogonality test, Bollapragada et al. 2018: the part of gᵢ orthogonal to ḡ is the part
        // of dᵢ orthogonal to ḡ, dᵢ − (pᵢ/‖ḡ‖²)ḡ. Formed explicitly (in the deviations buffer, which
        // is not needed after this) instead of as Q − Σpᵢ²/‖ḡ‖², which cancels when the noise lies
        // mostly along ḡ.
        INDArray projections = Nd4j.createFromArray(p).castTo(mean.dataType()).reshape(k, 1).divi(a);
        deviations.subi(projections.mmul(mean.reshape(1, mean.length())));
        double orthogonal = deviations.norm2Number().doubleValue();
        out.put(ORTHOGONALITY_TEST, orthogonal / Math.sqrt(kk1 * a));
    }

    /**
     * Mean over pairs i &lt; j of {@code gᵢᵀgⱼ / (‖gᵢ‖‖gⱼ‖)}, from the centred quantities:
     * {@code gᵢᵀgⱼ = dᵢᵀdⱼ + pᵢ + pⱼ + ‖ḡ‖²} (a k×k computation on the host).
     */
    static double meanPairwiseCosine(double[][] gram, double[] p, double meanSquaredNorm) {
        int k = p.length;
        double[] norms = new double[k];
        for (int i = 0; i < k; i++) {
            norms[i] = Math.sqrt(gram[i][i] + 2 * p[i] + meanSquaredNorm);
        }
        double sum = 0;
        for (int i = 0; i < k; i++) {
            for (int j = i + 1; j < k; j++) {
                sum += (gram[i][j] + p[i] + p[j] + meanSquaredNorm) / (norms[i] * norms[j]);
            }
        }
        return sum / (k * (k - 1) / 2.0);
    }

    private void writeUnavailable(ParamLayout layout, Readings out) {
        if (perLayer) {
            for (ParamSegment s : layout.segments()) {
                out.put(NORM_TEST, Double.NaN, s.layer(), s.param());
                out.put(SNR, Double.NaN, s.layer(), s.param());
                out.put(SNR_EXCLUDED, Double.NaN, s.layer(), s.param());
            }
        }
        out.put(NORM_TEST, Double.NaN, ALL, ALL);
        out.put(SNR, Double.NaN, ALL, ALL);
        out.put(SNR_EXCLUDED, Double.NaN, ALL, ALL);
        out.put(INNER_PRODUCT_TEST, Double.NaN);
        out.put(ORTHOGONALITY_TEST, Double.NaN);
        out.put(COSINE, Double.NaN);
    }

    /** Configuration; {@link #build()} checks every field and names the one out of range. */
    public static final class Builder {
        private int microBatches = DEFAULT_MICRO_BATCHES;
        private boolean perLayer = true;

        private Builder() {
        }

        /**
         * k, the number of micro-batches (at least 2; default {@value #DEFAULT_MICRO_BATCHES}). The
         * tests' own scatter falls as 1/sqrt(k−1); each sample costs k gradient calls of B/k rows
         * and a k×P buffer. A batch with fewer than k examples gives NaN.
         */
        public Builder microBatches(int k) {
            this.microBatches = k;
            return this;
        }

        /** Whether to export the norm test and the signal-to-noise ratio per layer and parameter kind (default true). */
        public Builder perLayer(boolean perLayer) {
            this.perLayer = perLayer;
            return this;
        }

        public GradientTestsProbe build() {
            MicroBatchGradients.checkCount("microBatches", microBatches);
            return new GradientTestsProbe(this);
        }
    }
}
