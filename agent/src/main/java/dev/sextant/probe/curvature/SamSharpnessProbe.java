package dev.sextant.probe.curvature;

import dev.sextant.linalg.Bounds;
import dev.sextant.probe.BatchOracle;
import dev.sextant.probe.MetricSpec;
import dev.sextant.probe.Probe;
import dev.sextant.probe.Readings;
import dev.sextant.probe.StepView;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * SAM sharpness {@code S_ρ(w) ≈ L(w + ρ g/‖g‖) − L(w)}: the loss increase after the first-order
 * worst-case step of radius ρ (Foret et al. 2020, "Sharpness-Aware Minimization for Efficiently
 * Improving Generalization", arXiv 2010.01412: their first-order solution
 * ε̂(w) = ρ∇L/‖∇L‖ of the inner maximisation for p = 2). On a quadratic it is {@code ρ‖g‖ + ½ρ² ĝᵀHĝ}: the gradient term dominates unless the
 * gradient is small. Two evaluations: ∇L(w) (with L(w)) and L(w + ρĝ). NaN when g = 0 (no
 * ascent direction).
 */
public final class SamSharpnessProbe implements Probe {
    /** Foret et al.'s typical radius. */
    public static final double DEFAULT_RHO = 0.05;

    public static final MetricSpec SAM_SHARPNESS = MetricSpec.global("sextant_sam_sharpness", null,
            "SAM sharpness L(w + rho g/||g||) - L(w) on the probe batch: the loss increase along the "
                    + "normalised gradient at radius rho (Foret et al. 2020).");

    private final double rho;
    private final int probeBatchSize;
    private final ParameterPoint point = new ParameterPoint();
    private INDArray g;
    private INDArray ascended;

    /**
     * @param rho            radius ρ of the ascent step, finite and &gt; 0 (in parameter units)
     * @param probeBatchSize rows of the current batch (its first rows) the loss averages over, ≥ 1
     *                       ({@link Integer#MAX_VALUE}: the whole batch)
     */
    public SamSharpnessProbe(double rho, int probeBatchSize) {
        this.rho = Bounds.inOpenRange("rho", rho, 0, Double.MAX_VALUE);
        this.probeBatchSize = Bounds.inRange("probeBatchSize", probeBatchSize, 1, Integer.MAX_VALUE);
    }

    /** ρ = 0.05 on the whole batch. */
    public SamSharpnessProbe() {
        this(DEFAULT_RHO, Integer.MAX_VALUE);
    }

    @Override
    public String name() {
        return "sam_sharpness";
    }

    @Override
    public List<MetricSpec> metrics() {
        return List.of(SAM_SHARPNESS);
    }

    @Override
    public void sample(StepView step, Readings out) {
        BatchOracle oracle = BatchOracle.firstRows(step, probeBatchSize);
        INDArray w = point.of(step);
        if (g == null || g.length() != w.length() || g.dataType() != w.dataType()) {
            g = Nd4j.createUninitialized(w.dataType(), w.shape());
            ascended = Nd4j.createUninitialized(w.dataType(), w.shape());
        }
        double loss = oracle.gradient(w, g);
        double norm = g.norm2Number().doubleValue();
        if (!(norm > 0)) {
            out.put(SAM_SHARPNESS, Double.NaN);
            return;
        }
        ascended.assign(g).muli(rho / norm).addi(w);   // w + ρ g/‖g‖
        out.put(SAM_SHARPNESS, oracle.loss(ascended) - loss);
    }
}
