package dev.sextant.probe.curvature;

import dev.sextant.linalg.Bounds;
import dev.sextant.linalg.HessianVectorProduct;
import dev.sextant.linalg.Hutchinson;
import dev.sextant.probe.BatchOracle;
import dev.sextant.probe.MetricSpec;
import dev.sextant.probe.Probe;
import dev.sextant.probe.Readings;
import dev.sextant.probe.StepView;

import java.util.List;

/**
 * Trace of the loss Hessian on the probe batch by Hutchinson's estimator
 * ({@code tr(H) ≈ (1/m) Σ vᵢᵀHvᵢ}, Rademacher vᵢ; {@link Hutchinson}) on finite-difference
 * Hessian-vector products, with its standard error. The trace is the sum of all curvatures (the
 * mean curvature times the parameter count): a flatness measure less dominated by one direction
 * than λ_max. Cost: 1 + 2m gradient evaluations. The vectors come from a seeded sequence: each
 * sample uses fresh vectors, the run is reproducible.
 */
public final class HessianTraceProbe implements Probe {
    /** Estimator label value of this probe's finite-difference figures. */
    public static final String ESTIMATOR = "hessian_trace";
    /** Default number of Rademacher vectors. */
    public static final int DEFAULT_SAMPLES = 10;

    public static final MetricSpec TRACE = MetricSpec.global("sextant_hessian_trace", null,
            "Trace of the loss Hessian on the probe batch, Hutchinson's estimate mean(v'Hv) over Rademacher v.");
    public static final MetricSpec TRACE_STDERR = MetricSpec.global("sextant_hessian_trace_stderr", null,
            "Standard error of the Hessian trace estimate: sample standard deviation of v'Hv over sqrt(m).");

    private final int probeBatchSize;
    private final HessianVectorProduct hvp;
    private final Hutchinson hutchinson;
    private final ParameterPoint point = new ParameterPoint();

    /**
     * @param samples          Rademacher vectors per sample m, in [2, 100000] (two at least, for a standard error)
     * @param probeBatchSize   rows of the current batch (its first rows) the loss averages over, ≥ 1
     *                         ({@link Integer#MAX_VALUE}: the whole batch)
     * @param finiteDifference finite-difference step and kink guard
     * @param seed             seed of the vector sequence
     */
    public HessianTraceProbe(int samples, int probeBatchSize, HessianVectorProduct.Settings finiteDifference, long seed) {
        Bounds.inRange("samples", samples, 2, 100_000);
        this.probeBatchSize = Bounds.inRange("probeBatchSize", probeBatchSize, 1, Integer.MAX_VALUE);
        this.hvp = new HessianVectorProduct(finiteDifference);
        this.hutchinson = new Hutchinson(samples, seed);
    }

    /** {@value #DEFAULT_SAMPLES} vectors on the whole batch, default finite differences. */
    public HessianTraceProbe() {
        this(DEFAULT_SAMPLES, Integer.MAX_VALUE, HessianVectorProduct.Settings.defaults(), 0x5e7c);
    }

    @Override
    public String name() {
        return ESTIMATOR;
    }

    @Override
    public List<MetricSpec> metrics() {
        return List.of(TRACE, TRACE_STDERR, CurvatureMetrics.FD_DISAGREEMENT, CurvatureMetrics.FD_RETRIES);
    }

    @Override
    public void sample(StepView step, Readings out) {
        try {
            hvp.setPoint(BatchOracle.firstRows(step, probeBatchSize), point.of(step));
            Hutchinson.TraceEstimate t = hutchinson.estimate(hvp);
            out.put(TRACE, t.mean());
            out.put(TRACE_STDERR, t.standardError());
            out.put(CurvatureMetrics.FD_DISAGREEMENT, hvp.maxDisagreement(), ESTIMATOR);
            out.put(CurvatureMetrics.FD_RETRIES, hvp.retryCount(), ESTIMATOR);
        } finally {
            hvp.release(); // runs every few hundred steps: no work buffers held in between
        }
    }
}
