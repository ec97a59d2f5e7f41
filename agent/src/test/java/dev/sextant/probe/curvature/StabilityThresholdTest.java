package dev.sextant.probe.curvature;

import dev.sextant.probe.OptimizerState;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each threshold against the optimizer's own recurrence on {@code L(w) = ½hw²} (gradient hw), with
 * h 2% below and 2% above it. Just below, the slowest mode contracts by a factor within ~1–2% of 1
 * per step: 20,000 steps take it below 1e-6. Just above, it grows by ≥ 1% per step: 20,000 steps
 * take it past 1e6. Both outcomes are far from the start value 1, so the split cannot be luck.
 */
class StabilityThresholdTest {
    private static final int STEPS = 20_000;
    private static final double LR = 0.01;

    /** |w| after {@link #STEPS} steps of a recurrence from w = 1 on curvature h. */
    interface Recurrence {
        double run(double h);
    }

    private static void assertThreshold(double threshold, Recurrence r) {
        double below = Math.abs(r.run(0.98 * threshold));
        double above = Math.abs(r.run(1.02 * threshold));
        assertTrue(below < 1e-6, "2% below the threshold the iterate should vanish, got " + below);
        assertTrue(above > 1e6 || !Double.isFinite(above), "2% above it should diverge, got " + above);
    }

    @Test
    void gradientDescent() {
        assertEquals(200, StabilityThreshold.gradientDescent(LR), 1e-12);
        assertThreshold(StabilityThreshold.gradientDescent(LR), h -> {
            double w = 1;
            for (int t = 0; t < STEPS; t++) {
                w -= LR * h * w;
            }
            return w;
        });
    }

    @Test
    void heavyBall() {
        double beta = 0.9;
        assertEquals(380, StabilityThreshold.heavyBall(LR, beta), 1e-9);
        assertThreshold(StabilityThreshold.heavyBall(LR, beta), h -> {
            double w = 1;
            double v = 0;
            for (int t = 0; t < STEPS; t++) {
                v = beta * v - LR * h * w;
                w += v;
            }
            return w;
        });
    }

    @Test
    void dl4jNesterovsUpdateRule() {
        // libnd4j updaterNesterovs: v' = βv − ηg; update u = βv + (−β − 1)v'; DL4J applies w ← w − u
        double beta = 0.9;
        assertEquals(380 / 2.8, StabilityThreshold.nesterov(LR, beta), 1e-9);
        assertThreshold(StabilityThreshold.nesterov(LR, beta), h -> {
            double w = 1;
            double v = 0;
            for (int t = 0; t < STEPS; t++) {
                double vNew = beta * v - LR * h * w;
                double update = beta * v + (-beta - 1) * vNew;
                v = vNew;
                w -= update;
            }
            return w;
        });
    }

    @Test
    void nesterovWithoutMomentumIsGradientDescent() {
        assertEquals(StabilityThreshold.gradientDescent(LR), StabilityThreshold.nesterov(LR, 0), 1e-12);
    }

    @Test
    void adamWithAFrozenPreconditioner() {
        // libnd4j updaterAdam with v held fixed (the preconditioner P = (√v+ε)/√(1−β2^t) frozen, as in
        // Cohen et al. 2022's analysis): m ← β1·m + (1−β1)g, step = η·√(1−β2^t)/(1−β1^t) · m/(√v+ε).
        // The threshold concerns the preconditioned curvature h/P; P is taken at large t where
        // √(1−β2^t) ≈ 1, the regime in which the threshold is stated.
        double beta1 = 0.9;
        double v = 0.04;
        double eps = 1e-8;
        double p = Math.sqrt(v) + eps;
        assertEquals(38 / LR, StabilityThreshold.adam(LR, beta1), 1e-9);
        assertThreshold(StabilityThreshold.adam(LR, beta1), preconditionedCurvature -> {
            double h = preconditionedCurvature * p;
            double w = 1;
            double m = 0;
            for (int t = 1; t <= STEPS; t++) {
                m = beta1 * m + (1 - beta1) * h * w;
                w -= LR / (1 - Math.pow(beta1, t)) * m / (Math.sqrt(v) + eps);
            }
            return w;
        });
    }

    @Test
    void rmsPropWithAFrozenPreconditioner() {
        // libnd4j updaterRmsProp with s held fixed: step = η·g/(√s+ε), threshold on h/(√s+ε)
        double s = 0.25;
        double eps = 1e-8;
        assertThreshold(StabilityThreshold.rmsProp(LR), preconditionedCurvature -> {
            double h = preconditionedCurvature * (Math.sqrt(s) + eps);
            double w = 1;
            for (int t = 0; t < STEPS; t++) {
                w -= LR * h * w / (Math.sqrt(s) + eps);
            }
            return w;
        });
    }

    @Test
    void optimizerKindsMapToTheirFormulaOrNaN() {
        OptimizerState nesterovs = new OptimizerState(OptimizerState.Kind.NESTEROVS, LR, 0.9, Double.NaN, Double.NaN,
                Double.NaN, 1, null);
        assertEquals(StabilityThreshold.nesterov(LR, 0.9), StabilityThreshold.of(nesterovs));
        assertEquals(200, StabilityThreshold.of(OptimizerState.sgd(LR, 1)), 1e-12);
        OptimizerState adamax = new OptimizerState(OptimizerState.Kind.ADAMAX, LR, Double.NaN, 0.9, 0.999, 1e-8, 1, null);
        assertTrue(Double.isNaN(StabilityThreshold.of(adamax)), "no published AdaMax threshold");
        OptimizerState other = new OptimizerState(OptimizerState.Kind.OTHER, LR, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, 1, null);
        assertTrue(Double.isNaN(StabilityThreshold.of(other)));
        assertTrue(StabilityThreshold.preconditioned(OptimizerState.Kind.ADAM));
        assertTrue(StabilityThreshold.preconditioned(OptimizerState.Kind.RMSPROP));
        assertFalse(StabilityThreshold.preconditioned(OptimizerState.Kind.NESTEROVS));
    }
}
