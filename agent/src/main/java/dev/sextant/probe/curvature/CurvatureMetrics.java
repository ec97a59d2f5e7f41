package dev.sextant.probe.curvature;

import dev.sextant.probe.MetricSpec;

/**
 * Metrics written by more than one curvature probe. The threshold and the edge-of-stability ratio
 * have exactly one writer per optimizer: {@link SharpnessProbe} for SGD and Nesterovs (whose
 * threshold concerns the Hessian itself), {@link PreconditionedSharpnessProbe} for Adam, AdaMax and
 * RMSProp (whose threshold concerns the preconditioned Hessian). So one alert rule on
 * {@code sextant_edge_of_stability_ratio > 1} serves every optimizer.
 *
 * <p>Exported names: {@link MetricSpec#prometheusName()}, e.g. {@code sextant_edge_of_stability_ratio}.
 */
public final class CurvatureMetrics {
    private CurvatureMetrics() {
    }

    public static final MetricSpec STABILITY_THRESHOLD = MetricSpec.global("sextant_stability_threshold", null,
            "Curvature at which the optimizer diverges on a quadratic at the current learning rate η: "
                    + "2/η (SGD), (2+2β)/((1+2β)η) (Nesterov), (2+2β1)/((1-β1)η) (Adam, preconditioned), "
                    + "2/η (RMSProp, preconditioned); NaN when unknown (Cohen et al. 2021, 2022).");
    public static final MetricSpec EDGE_OF_STABILITY_RATIO = MetricSpec.global("sextant_edge_of_stability", "ratio",
            "Top Hessian eigenvalue (preconditioned for Adam and RMSProp) over the stability threshold; "
                    + "full-batch training hovers near 1 at the edge of stability, above 1 a quadratic model diverges.");
    public static final MetricSpec FD_DISAGREEMENT = MetricSpec.labelled("sextant_hvp_fd_disagreement", null,
            "Largest relative disagreement ||f-b||/max(||f||,||b||) between forward and backward gradient "
                    + "differences over the Hessian-vector products of the sample; near 1 means a kink (ReLU flip) "
                    + "inside the finite-difference step even after the step was shrunk.",
            "estimator");
    public static final MetricSpec FD_RETRIES = MetricSpec.labelled("sextant_hvp_fd_retries", null,
            "Hessian-vector products of the sample recomputed with a 10x smaller finite-difference step "
                    + "because forward and backward differences disagreed (counted per division).",
            "estimator");
}
