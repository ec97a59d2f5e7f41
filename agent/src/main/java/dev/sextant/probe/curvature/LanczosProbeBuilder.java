package dev.sextant.probe.curvature;

import dev.sextant.linalg.HessianVectorProduct;
import dev.sextant.linalg.Lanczos;

/**
 * The settings that the Lanczos-based curvature probes share; {@code build()} of each probe checks
 * them.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class LanczosProbeBuilder<B extends LanczosProbeBuilder<B>> {
    double tolerance = Lanczos.DEFAULT_TOLERANCE;
    int maxIterations = Lanczos.DEFAULT_MAX_ITERATIONS;
    int probeBatchSize = Integer.MAX_VALUE;
    HessianVectorProduct.Settings finiteDifference = HessianVectorProduct.Settings.defaults();
    long seed;

    LanczosProbeBuilder(long defaultSeed) {
        this.seed = defaultSeed;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Relative change of the top Ritz values between Lanczos iterations that stops the run, in (0, 1); default 1e-3. */
    public B tolerance(double tolerance) {
        this.tolerance = tolerance;
        return self();
    }

    /** Lanczos iteration limit, in [1, 10000]; default 100 (the dimension caps it too). */
    public B maxIterations(int maxIterations) {
        this.maxIterations = maxIterations;
        return self();
    }

    /** Rows of the current batch (its first rows) the loss averages over, ≥ 1; default: the whole batch. */
    public B probeBatchSize(int rows) {
        this.probeBatchSize = rows;
        return self();
    }

    /** Finite-difference step and kink guard; default {@link HessianVectorProduct.Settings#defaults()}. */
    public B finiteDifference(HessianVectorProduct.Settings settings) {
        this.finiteDifference = settings;
        return self();
    }

    /** Seed of the random start vector of the first sample (later samples start warm). */
    public B seed(long seed) {
        this.seed = seed;
        return self();
    }
}
