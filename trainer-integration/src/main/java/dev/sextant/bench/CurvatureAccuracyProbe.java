package dev.sextant.bench;

import dev.sextant.linalg.HessianVectorProduct;
import dev.sextant.linalg.Lanczos;
import dev.sextant.probe.BatchOracle;
import dev.sextant.probe.MetricSpec;
import dev.sextant.probe.Probe;
import dev.sextant.probe.Reading;
import dev.sextant.probe.Readings;
import dev.sextant.probe.StepView;
import dev.sextant.probe.curvature.CurvatureMetrics;
import dev.sextant.probe.curvature.SharpnessProbe;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * Accuracy and cost of the top Hessian eigenvalue λ₁ at one step, three ways on the same network,
 * batch and float64 evaluation copy:
 * <ol>
 *   <li>the {@link SharpnessProbe} at its defaults (top-1, relative tolerance 1e-3, warm start
 *       from its own previous eigenvector), called directly and timed around {@code sample};</li>
 *   <li>Lanczos stopped at relative tolerance 1e-2, warm-started from its own previous call: the
 *       cheapest setting that targets 1%;</li>
 *   <li>the reference: 100 iterations of Lanczos with full reorthogonalisation from a random start,
 *       tolerance 1e-10 (so it runs to the limit or to an invariant subspace), on the same
 *       finite-difference Hessian-vector products.</li>
 * </ol>
 * The reference shares the finite-difference operator with the other two: its difference measures
 * the error of the Lanczos stopping rule and warm start, not of the finite differences (those are
 * checked against closed forms in the agent's tests). Writes no metrics; the figures are kept as
 * {@link Check}s.
 */
public final class CurvatureAccuracyProbe implements Probe {
    /** Probe name (the {@code probe} label of its timing). */
    public static final String NAME = "bench_curvature_accuracy";
    /** Tolerance of the cheap warm-started run. */
    public static final double ONE_PERCENT = 1e-2;
    /** Iterations and tolerance of the reference. */
    public static final int REFERENCE_ITERATIONS = 100;
    public static final double REFERENCE_TOLERANCE = 1e-10;

    /**
     * The three estimates at one step.
     *
     * @param step                DL4J iteration
     * @param warm                whether the probe and the 1% run had a previous eigenvector to start from
     * @param probeLambda         λ₁ of the sharpness probe at its defaults
     * @param probeGradients      its gradient evaluations: one at the point, two per Hessian-vector product (the
     *                            residual's included) and two per finite-difference retry at a ReLU kink
     * @param probeSeconds        its time, the gradient at the point included
     * @param onePercentLambda    λ₁ of the warm-started run at tolerance 1e-2
     * @param onePercentGradients its gradient evaluations, counted the same way
     * @param onePercentSeconds   its time, the gradient at the point included
     * @param referenceLambda     λ₁ of the reference
     * @param referenceIterations its Lanczos iterations
     * @param referenceResidual   its ‖Hy − λy‖/|λ|
     * @param referenceSeconds    its time
     * @param gradientSeconds     time of one float64 gradient of the batch loss on the evaluation copy
     * @param stepMs              median time of the training steps since the previous check (no probe work in
     *                            them): the step these costs are expressed in, measured under the same load
     */
    public record Check(long step, boolean warm, double probeLambda, double probeGradients, double probeSeconds,
                        double onePercentLambda, int onePercentGradients, double onePercentSeconds,
                        double referenceLambda, int referenceIterations, double referenceResidual,
                        double referenceSeconds, double gradientSeconds, double stepMs) {

        /** The probe's time in training steps. */
        public double probeSteps() {
            return probeSeconds * 1e3 / stepMs;
        }

        /** The 1% run's time in training steps. */
        public double onePercentSteps() {
            return onePercentSeconds * 1e3 / stepMs;
        }

        /** One float64 gradient's time in training steps. */
        public double gradientSteps() {
            return gradientSeconds * 1e3 / stepMs;
        }

        /** |probe λ₁ − reference| / |reference|. */
        public double probeError() {
            return relativeError(probeLambda, referenceLambda);
        }

        /** |1% run's λ₁ − reference| / |reference|. */
        public double onePercentError() {
            return relativeError(onePercentLambda, referenceLambda);
        }

        private static double relativeError(double estimate, double reference) {
            return Math.abs(estimate - reference) / Math.abs(reference);
        }
    }

    private final SharpnessProbe sharpness = SharpnessProbe.builder().build();
    private final HessianVectorProduct onePercentHvp = new HessianVectorProduct();
    private final Lanczos onePercent;
    private final HessianVectorProduct referenceHvp = new HessianVectorProduct();
    private final Lanczos reference;
    private INDArray onePercentStart;
    private final List<Check> checks = new ArrayList<>();
    private RuntimeException failure;

    private final java.util.function.DoubleSupplier stepMs;

    /**
     * @param seed   seed of the random start vectors of the first call and of the reference
     * @param stepMs the current typical training step time in milliseconds, read at each check
     */
    public CurvatureAccuracyProbe(long seed, java.util.function.DoubleSupplier stepMs) {
        this.stepMs = stepMs;
        this.onePercent = new Lanczos(1, ONE_PERCENT, Lanczos.DEFAULT_MAX_ITERATIONS, seed);
        this.reference = new Lanczos(1, REFERENCE_TOLERANCE, REFERENCE_ITERATIONS, seed + 1);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<MetricSpec> metrics() {
        return List.of();
    }

    @Override
    public void sample(StepView step, Readings out) throws Exception {
        try {
            boolean warm = !checks.isEmpty();
            Readings probeOut = new Readings();
            long t0 = System.nanoTime();
            sharpness.sample(step, probeOut);
            double probeSeconds = (System.nanoTime() - t0) * 1e-9;

            long t1 = System.nanoTime();
            INDArray w = point(step);
            onePercentHvp.setPoint(BatchOracle.wholeBatch(step), w);
            Lanczos.Result cheap = onePercent.run(onePercentHvp, onePercentStart);
            double onePercentSeconds = (System.nanoTime() - t1) * 1e-9;
            onePercentStart = cheap.topVector();

            long t2 = System.nanoTime();
            referenceHvp.setPoint(BatchOracle.wholeBatch(step), w);   // one gradient at the point
            double gradientSeconds = (System.nanoTime() - t2) * 1e-9;
            Lanczos.Result ref = reference.run(referenceHvp, null);
            double referenceSeconds = (System.nanoTime() - t2) * 1e-9;

            double probeGradients = 1 + 2 * (value(probeOut, SharpnessProbe.HVP_COUNT)
                    + value(probeOut, CurvatureMetrics.FD_RETRIES));
            checks.add(new Check(step.step(), warm, value(probeOut, SharpnessProbe.SHARPNESS),
                    probeGradients, probeSeconds, cheap.top(),
                    onePercentHvp.gradientEvaluations(), onePercentSeconds, ref.top(), ref.iterations(), ref.residual(),
                    referenceSeconds, gradientSeconds, stepMs.getAsDouble()));
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            }
            throw e;
        }
    }

    /** The parameters in the evaluation copy's data type (float64 by default): a new array. */
    private static INDArray point(StepView step) {
        return step.params().castTo(step.model().dataType());
    }

    private static double value(Readings readings, MetricSpec metric) {
        for (Reading r : readings.list()) {
            if (r.metric().equals(metric)) {
                return r.value();
            }
        }
        return Double.NaN;
    }

    /** The checks so far, oldest first. */
    public List<Check> checks() {
        return List.copyOf(checks);
    }

    /** The first exception a call threw, or {@code null}. */
    public RuntimeException failure() {
        return failure;
    }
}
