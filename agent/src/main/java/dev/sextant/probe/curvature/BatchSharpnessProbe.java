package dev.sextant.probe.curvature;

import dev.sextant.linalg.HessianVectorProduct;
import dev.sextant.probe.BatchOracle;
import dev.sextant.probe.MetricSpec;
import dev.sextant.probe.Probe;
import dev.sextant.probe.Readings;
import dev.sextant.probe.StepView;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * Batch sharpness {@code g_Bᵀ H_B g_B / ‖g_B‖²}: the curvature of the current batch's loss along the
 * batch's own gradient, at the current parameters (Andreyev &amp; Beneventano 2024, "Edge of
 * Stochastic Stability"). Under mini-batch SGD it is this quantity, in expectation over batches,
 * that hovers at {@code 2/η}, while the full-batch λ_max settles below it.
 *
 * <p>Always on the whole current batch (a sub-batch would be another, larger quantity: batch
 * sharpness grows as the batch shrinks). One Hessian-vector product with v = g_B: three gradient
 * evaluations, ∇L_B(w) and ∇L_B(w ± εg_B).
 *
 * <p>The ratio divides by {@link StabilityThreshold#of} for SGD and Nesterovs; with momentum its
 * plateau depends on the batch size (between 2(1−β)/η and 2(1+β)/η, arXiv 2604.14108), so read it
 * as a trend there. For Adam-family optimizers the ratio is NaN (their threshold concerns the
 * preconditioned Hessian).
 */
public final class BatchSharpnessProbe implements Probe {
    /** Estimator label value of this probe's finite-difference figures. */
    public static final String ESTIMATOR = "batch_sharpness";

    public static final MetricSpec BATCH_SHARPNESS = MetricSpec.global("sextant_batch_sharpness", null,
            "Curvature of the current batch's loss along its own gradient, g'Hg/||g||^2 (one finite-difference "
                    + "Hessian-vector product on the batch).");
    /** Unit left out of the spec: "sextant_batch_sharpness" with unit "ratio" would share its meter name with {@link #BATCH_SHARPNESS}. */
    public static final MetricSpec BATCH_SHARPNESS_RATIO = MetricSpec.global("sextant_batch_sharpness_ratio", null,
            "Batch sharpness over the optimizer's stability threshold (2/η for SGD); mini-batch SGD hovers near 1 "
                    + "at the edge of stochastic stability. NaN for Adam-family optimizers.");

    private final HessianVectorProduct hvp;
    private final ParameterPoint point = new ParameterPoint();
    private INDArray hg;

    /** With default finite-difference settings. */
    public BatchSharpnessProbe() {
        this(HessianVectorProduct.Settings.defaults());
    }

    /** @param finiteDifference finite-difference step and kink guard */
    public BatchSharpnessProbe(HessianVectorProduct.Settings finiteDifference) {
        this.hvp = new HessianVectorProduct(finiteDifference);
    }

    @Override
    public String name() {
        return ESTIMATOR;
    }

    @Override
    public List<MetricSpec> metrics() {
        return List.of(BATCH_SHARPNESS, BATCH_SHARPNESS_RATIO, CurvatureMetrics.FD_DISAGREEMENT,
                CurvatureMetrics.FD_RETRIES);
    }

    @Override
    public void sample(StepView step, Readings out) {
        INDArray w = point.of(step);
        hvp.setPoint(BatchOracle.wholeBatch(step), w);
        INDArray g = hvp.gradientAtPoint();
        if (hg == null || hg.length() != g.length() || hg.dataType() != g.dataType()) {
            hg = Nd4j.createUninitialized(g.dataType(), g.shape());
        }
        HessianVectorProduct.Product p = hvp.product(g, hg);
        double gg = Nd4j.getBlasWrapper().dot(g, g);
        double sharpness = Nd4j.getBlasWrapper().dot(g, hg) / gg;   // gᵀHg / ‖g‖²
        out.put(BATCH_SHARPNESS, sharpness);
        double ratio = StabilityThreshold.preconditioned(step.optimizer().kind())
                ? Double.NaN : sharpness / StabilityThreshold.of(step.optimizer());
        out.put(BATCH_SHARPNESS_RATIO, ratio);
        out.put(CurvatureMetrics.FD_DISAGREEMENT, p.disagreement(), ESTIMATOR);
        out.put(CurvatureMetrics.FD_RETRIES, p.retries(), ESTIMATOR);
    }
}
