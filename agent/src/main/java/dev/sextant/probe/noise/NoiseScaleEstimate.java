package dev.sextant.probe.noise;

/**
 * One sample of the unbiased estimators of McCandlish et al. 2018 (arXiv 1812.06162, appendix
 * A.1): {@code trace} estimates {@code tr(Σ)}, the trace of the per-example gradient covariance, and
 * {@code signal} estimates {@code |G|²}, the squared norm of the true (expected) gradient. Each is
 * unbiased on its own; their ratio, the simple noise scale {@code B_simple = tr(Σ)/|G|²}, is not
 * (and {@code signal} can come out ≤ 0 when noise dominates), which is why the probe averages the
 * two separately before dividing.
 *
 * @param trace  estimate of tr(Σ) (per example, so independent of the batch size)
 * @param signal estimate of |G|²
 */
public record NoiseScaleEstimate(double trace, double signal) {

    /**
     * The estimators from k micro-batch gradients gᵢ of b examples each, with mean ḡ.
     *
     * <p>Appendix A.1 takes one gradient from {@code B_small} and one from {@code B_big} examples:
     * <pre>
     *   |G|²  ≈ (B_big‖G_big‖² − B_small‖G_small‖²) / (B_big − B_small)
     *   tr(Σ) ≈ (‖G_small‖² − ‖G_big‖²) / (1/B_small − 1/B_big)
     * </pre>
     * (from {@code E‖G_B‖² = |G|² + tr(Σ)/B}). Here {@code B_small = b}, {@code B_big = k·b},
     * {@code G_big = ḡ}, and ‖G_small‖² is averaged over all k micro-batches (each has the same
     * expectation, so the estimators stay unbiased): {@code (1/k)Σ‖gᵢ‖² = ‖ḡ‖² + Q/k} with
     * {@code Q = Σᵢ‖gᵢ − ḡ‖²}.
     * Substituting gives the same estimators in a form without the cancellation of two nearly
     * equal squared norms:
     * <pre>
     *   tr(Σ) ≈ b·Q / (k−1)            (b times the unbiased sample covariance trace of the gᵢ)
     *   |G|²  ≈ ‖ḡ‖² − Q / (k(k−1))
     * </pre>
     * Averaging over the k micro-batches also cancels the cross term {@code 2(g₁ − ḡ)ᵀḡ} that a
     * single small batch leaves in the trace estimate, so its variance no longer grows with |G|:
     * for Gaussian noise {@code Var = 2tr(Σ²)/(k−1)}.
     *
     * @param squaredDeviationSum Q = Σᵢ‖gᵢ − ḡ‖² (over the parameters of interest)
     * @param meanSquaredNorm     ‖ḡ‖² (over the same parameters)
     * @param k                   number of micro-batches, at least 2
     * @param b                   examples per micro-batch, at least 1
     */
    public static NoiseScaleEstimate fromMicroBatches(double squaredDeviationSum, double meanSquaredNorm, int k, int b) {
        double trace = b * squaredDeviationSum / (k - 1);
        double signal = meanSquaredNorm - squaredDeviationSum / ((double) k * (k - 1));
        return new NoiseScaleEstimate(trace, signal);
    }

    /** The simple noise scale {@code B_simple = tr(Σ)/|G|²} of this sample alone, in examples. */
    public double noiseScale() {
        return trace / signal;
    }

    /** Whether both estimates are finite numbers (a sample the moving averages may take). */
    public boolean isFinite() {
        return Double.isFinite(trace) && Double.isFinite(signal);
    }
}
