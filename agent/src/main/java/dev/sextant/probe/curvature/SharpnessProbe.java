package dev.sextant.probe.curvature;

import dev.sextant.linalg.Bounds;
import dev.sextant.linalg.HessianVectorProduct;
import dev.sextant.linalg.Lanczos;
import dev.sextant.probe.BatchOracle;
import dev.sextant.probe.MetricSpec;
import dev.sextant.probe.Probe;
import dev.sextant.probe.Readings;
import dev.sextant.probe.StepView;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * Sharpness: the top-k eigenvalues of the Hessian of the loss on the probe batch, by Lanczos
 * ({@link Lanczos}) on finite-difference Hessian-vector products ({@link HessianVectorProduct}),
 * warm-started from the previous sample's top eigenvector (curvature directions move slowly, so a
 * warm start typically halves the products).
 *
 * <p>λ₁ is the algebraically largest eigenvalue (not the largest magnitude: a saddle's large
 * negative curvature does not masquerade as sharpness). Its quality figure is the explicit
 * residual {@code ‖Hy − λ₁y‖/|λ₁|} of the returned eigenvector y, which also shows finite-difference
 * noise and asymmetry. For SGD and Nesterovs the probe also writes the edge-of-stability threshold
 * ({@link StabilityThreshold}) and λ₁ over it; for Adam-family optimizers those come from
 * {@link PreconditionedSharpnessProbe}.
 *
 * <p>Cost per sample: one gradient at the point, then two per product; about 5–20 products
 * (PyHessian's stopping rule, relative change of the top-k below 1e-3) plus one for the residual.
 */
public final class SharpnessProbe implements Probe {
    /** Estimator label value of this probe's finite-difference figures. */
    public static final String ESTIMATOR = "sharpness";
    /** Largest k: one labelled series per rank. */
    public static final int MAX_TOP_K = 20;

    public static final MetricSpec SHARPNESS = MetricSpec.global("sextant_sharpness", null,
            "Largest (algebraically) eigenvalue of the loss Hessian on the probe batch, by Lanczos on "
                    + "finite-difference Hessian-vector products.");
    public static final MetricSpec EIGENVALUE = MetricSpec.labelled("sextant_hessian_eigenvalue", null,
            "k-th largest eigenvalue of the loss Hessian on the probe batch (Lanczos Ritz value).", "rank");
    public static final MetricSpec RESIDUAL = MetricSpec.global("sextant_sharpness_residual", null,
            "Relative residual ||Hy - λ1 y||/|λ1| of the top eigenpair: the sharpness' own accuracy figure.");
    public static final MetricSpec HVP_COUNT = MetricSpec.global("sextant_sharpness_hvp_count", null,
            "Hessian-vector products the sharpness estimate used (two gradient evaluations each, plus retries).");

    private final int topK;
    private final int probeBatchSize;
    private final HessianVectorProduct hvp;
    private final Lanczos lanczos;
    private final ParameterPoint point = new ParameterPoint();
    private INDArray warmStart;

    private SharpnessProbe(Builder b) {
        this.topK = Bounds.inRange("topK", b.topK, 1, MAX_TOP_K);
        Bounds.inRange("maxIterations", b.maxIterations, 1, 10_000);
        if (topK > b.maxIterations) {
            throw new IllegalArgumentException("topK = " + topK + " is outside the allowed range [1, maxIterations = "
                    + b.maxIterations + "]");
        }
        this.probeBatchSize = Bounds.inRange("probeBatchSize", b.probeBatchSize, 1, Integer.MAX_VALUE);
        this.hvp = new HessianVectorProduct(b.finiteDifference);
        this.lanczos = new Lanczos(topK, b.tolerance, b.maxIterations, b.seed);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings; {@link #build()} checks them. */
    public static final class Builder extends LanczosProbeBuilder<Builder> {
        private int topK = 1;

        private Builder() {
            super(0x5e7a);
        }

        /** Number of top eigenvalues, in [1, 20]; default 1. */
        public Builder topK(int k) {
            this.topK = k;
            return this;
        }

        public SharpnessProbe build() {
            return new SharpnessProbe(this);
        }
    }

    @Override
    public String name() {
        return ESTIMATOR;
    }

    @Override
    public List<MetricSpec> metrics() {
        return List.of(SHARPNESS, EIGENVALUE, RESIDUAL, HVP_COUNT, CurvatureMetrics.FD_DISAGREEMENT,
                CurvatureMetrics.FD_RETRIES, CurvatureMetrics.STABILITY_THRESHOLD,
                CurvatureMetrics.EDGE_OF_STABILITY_RATIO);
    }

    @Override
    public void sample(StepView step, Readings out) {
        try {
            hvp.setPoint(BatchOracle.firstRows(step, probeBatchSize), point.of(step));
            Lanczos.Result r = lanczos.run(hvp, warmStart);
            warmStart = r.topVector();
            out.put(SHARPNESS, r.top());
            for (int i = 0; i < r.ritzValues().length; i++) {
                out.put(EIGENVALUE, r.ritzValues()[i], Integer.toString(i + 1));
            }
            out.put(RESIDUAL, r.residual());
            out.put(HVP_COUNT, hvp.productCount());
            out.put(CurvatureMetrics.FD_DISAGREEMENT, hvp.maxDisagreement(), ESTIMATOR);
            out.put(CurvatureMetrics.FD_RETRIES, hvp.retryCount(), ESTIMATOR);
            if (!StabilityThreshold.preconditioned(step.optimizer().kind())) {
                double threshold = StabilityThreshold.of(step.optimizer());
                out.put(CurvatureMetrics.STABILITY_THRESHOLD, threshold);
                out.put(CurvatureMetrics.EDGE_OF_STABILITY_RATIO, r.top() / threshold);
            }
        } finally {
            hvp.release(); // runs every few hundred steps: no work buffers held in between
        }
    }
}
