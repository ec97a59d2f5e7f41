package dev.sextant.probe.curvature;

import dev.sextant.linalg.Bounds;
import dev.sextant.linalg.DiagonalScaledOperator;
import dev.sextant.linalg.HessianVectorProduct;
import dev.sextant.linalg.Lanczos;
import dev.sextant.probe.BatchOracle;
import dev.sextant.probe.MetricSpec;
import dev.sextant.probe.OptimizerState;
import dev.sextant.probe.Probe;
import dev.sextant.probe.Readings;
import dev.sextant.probe.StepView;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;

/**
 * Preconditioned sharpness {@code λ_max(P^{-1/2} H P^{-1/2})} for adaptive optimizers: the quantity
 * that hovers at {@code (2+2β₁)/((1−β₁)η)} (38/η for β₁ = 0.9) under full-batch Adam (Cohen et al.
 * 2022, "Adaptive Gradient Methods at the Edge of Stability", arXiv 2207.14484). Computed by
 * Lanczos on {@code u -> P^{-1/2} H P^{-1/2} u} ({@link DiagonalScaledOperator} around the
 * finite-difference {@link HessianVectorProduct}), warm-started from the previous sample.
 *
 * <p>P is the diagonal by which the optimizer divides its step, read from
 * {@link OptimizerState#stateView()}:
 * <ul>
 *   <li>Adam (DL4J state {@code [m | v]}, 2·n values): DL4J's step is
 *       {@code lr·√(1−β₂ᵗ)/(1−β₁ᵗ) · m/(√v + ε) = lr·m̂/(√v̂ + ε/√(1−β₂ᵗ))}, so the exact
 *       denominator is {@code P = (√v + ε)/√(1−β₂ᵗ)} with t = {@link OptimizerState#t()};</li>
 *   <li>RMSProp (DL4J state {@code [E[g²]]}, n values): step {@code lr·g/(√s + ε)}, so
 *       {@code P = √s + ε}.</li>
 * </ul>
 * The layout assumes one updater block (every layer with the same updater configuration): with
 * several blocks DL4J stores {@code [m₁ | v₁ | m₂ | v₂ ...]}, which the integration must reorder.
 *
 * <p>When no valid P exists the probe writes NaN for the preconditioned sharpness (and the ratio)
 * instead of throwing at every step:
 * <ul>
 *   <li>the optimizer is not Adam or RMSProp (for SGD and Nesterovs use {@link SharpnessProbe};
 *       for AdaMax no stability threshold is published, see {@link StabilityThreshold});</li>
 *   <li>{@code stateView} is {@code null}, or its length is not 2·n (Adam) or n (RMSProp);</li>
 *   <li>ε, β₂ (Adam) or t (Adam) are missing (NaN, t &lt; 1).</li>
 * </ul>
 * For Adam and RMSProp it always writes the stability threshold and the ratio (the ratio is NaN
 * when P is unavailable); for other optimizers it leaves them to {@link SharpnessProbe}.
 */
public final class PreconditionedSharpnessProbe implements Probe {
    /** Estimator label value of this probe's finite-difference figures. */
    public static final String ESTIMATOR = "preconditioned_sharpness";

    public static final MetricSpec PRECONDITIONED_SHARPNESS = MetricSpec.global("sextant_preconditioned_sharpness",
            null,
            "Largest eigenvalue of P^-1/2 H P^-1/2, P the optimizer's preconditioner (Adam: (sqrt(v)+eps)/sqrt(1-beta2^t); "
                    + "RMSProp: sqrt(s)+eps); NaN when the optimizer state is unavailable.");
    public static final MetricSpec RESIDUAL = MetricSpec.global("sextant_preconditioned_sharpness_residual", null,
            "Relative residual ||Ay - λ y||/|λ| of the top eigenpair of the preconditioned Hessian A.");
    public static final MetricSpec HVP_COUNT = MetricSpec.global("sextant_preconditioned_sharpness_hvp_count", null,
            "Hessian-vector products the preconditioned sharpness used (two gradient evaluations each, plus retries).");

    private final int probeBatchSize;
    private final HessianVectorProduct hvp;
    private final Lanczos lanczos;
    private final ParameterPoint point = new ParameterPoint();
    private INDArray inverseSqrt;
    private INDArray warmStart;

    private PreconditionedSharpnessProbe(Builder b) {
        this.probeBatchSize = Bounds.inRange("probeBatchSize", b.probeBatchSize, 1, Integer.MAX_VALUE);
        this.hvp = new HessianVectorProduct(b.finiteDifference);
        this.lanczos = new Lanczos(1, b.tolerance, b.maxIterations, b.seed);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings; {@link #build()} checks them. */
    public static final class Builder extends LanczosProbeBuilder<Builder> {
        private Builder() {
            super(0x5e7b);
        }

        public PreconditionedSharpnessProbe build() {
            return new PreconditionedSharpnessProbe(this);
        }
    }

    @Override
    public String name() {
        return ESTIMATOR;
    }

    @Override
    public List<MetricSpec> metrics() {
        return List.of(PRECONDITIONED_SHARPNESS, RESIDUAL, HVP_COUNT, CurvatureMetrics.FD_DISAGREEMENT,
                CurvatureMetrics.FD_RETRIES, CurvatureMetrics.STABILITY_THRESHOLD,
                CurvatureMetrics.EDGE_OF_STABILITY_RATIO);
    }

    @Override
    public void sample(StepView step, Readings out) {
        try {
            OptimizerState optimizer = step.optimizer();
            boolean adaptive = StabilityThreshold.preconditioned(optimizer.kind());
            double threshold = StabilityThreshold.of(optimizer);
            if (adaptive) {
                out.put(CurvatureMetrics.STABILITY_THRESHOLD, threshold);
            }
            INDArray d = adaptive
                    ? inverseSqrtPreconditioner(optimizer, step.layout().size(), step.model().dataType()) : null;
            if (d == null) {
                out.put(PRECONDITIONED_SHARPNESS, Double.NaN);
                if (adaptive) {
                    out.put(CurvatureMetrics.EDGE_OF_STABILITY_RATIO, Double.NaN);
                }
                return;
            }
            hvp.setPoint(BatchOracle.firstRows(step, probeBatchSize), point.of(step));
            Lanczos.Result r = lanczos.run(new DiagonalScaledOperator(hvp, d), warmStart);
            warmStart = r.topVector();
            out.put(PRECONDITIONED_SHARPNESS, r.top());
            out.put(RESIDUAL, r.residual());
            out.put(HVP_COUNT, hvp.productCount());
            out.put(CurvatureMetrics.FD_DISAGREEMENT, hvp.maxDisagreement(), ESTIMATOR);
            out.put(CurvatureMetrics.FD_RETRIES, hvp.retryCount(), ESTIMATOR);
            out.put(CurvatureMetrics.EDGE_OF_STABILITY_RATIO, r.top() / threshold);
        } finally {
            hvp.release(); // runs every few hundred steps: no work buffers held in between
        }
    }

    /** {@code P^{-1/2}} as a reused n-vector of {@code type}, or {@code null} when the state does not give P. */
    private INDArray inverseSqrtPreconditioner(OptimizerState optimizer, long n, DataType type) {
        INDArray state = optimizer.stateView();
        double eps = optimizer.epsilon();
        if (state == null || !(eps >= 0)) {
            return null;
        }
        INDArray flatState = state.reshape(state.length());
        INDArray second;
        double scale;
        if (optimizer.kind() == OptimizerState.Kind.ADAM) {
            double beta2 = optimizer.beta2();
            if (state.length() != 2 * n || !(beta2 >= 0 && beta2 < 1) || optimizer.t() < 1) {
                return null;
            }
            second = flatState.get(NDArrayIndex.interval(n, 2 * n));
            scale = Math.sqrt(1 - Math.pow(beta2, optimizer.t()));   // P = (√v + ε)/√(1−β₂ᵗ)
        } else if (optimizer.kind() == OptimizerState.Kind.RMSPROP) {
            if (state.length() != n) {
                return null;
            }
            second = flatState;
            scale = 1;                                                 // P = √s + ε
        } else {
            return null;
        }
        if (inverseSqrt == null || inverseSqrt.length() != n || inverseSqrt.dataType() != type) {
            inverseSqrt = Nd4j.createUninitialized(type, n);
        }
        inverseSqrt.assign(second);
        Transforms.sqrt(inverseSqrt, false).addi(eps).divi(scale);    // P
        return Transforms.sqrt(inverseSqrt, false).rdivi(1.0);         // P^{-1/2}
    }
}
