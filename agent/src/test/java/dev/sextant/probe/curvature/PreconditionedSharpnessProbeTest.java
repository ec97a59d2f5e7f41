package dev.sextant.probe.curvature;

import dev.sextant.probe.OptimizerState;
import dev.sextant.probe.Sample;
import dev.sextant.testing.TestStep;
import dev.sextant.validation.LeastSquaresModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreconditionedSharpnessProbeTest {
    private static final int D = 10;

    /** A DL4J-shaped Adam state [m | v] (1 × 2d, float32 as in a float32 network), v spread over four decades. */
    private static INDArray adamState(long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray m = Nd4j.randn(DataType.FLOAT, 1, D).muli(0.01);
        INDArray v = Transforms.pow(Nd4j.valueArrayOf(new long[]{1, D}, 10.0, DataType.FLOAT), Nd4j.rand(DataType.FLOAT, 1, D).muli(-4), false);   // 10^U(-4,0)
        return Nd4j.hstack(m, v);
    }

    @Test
    void adamPreconditionedSharpnessOfADenseHessian() throws Exception {
        LeastSquaresModel model = CurvatureFixtures.leastSquares(40, D, 1);
        TestStep step = CurvatureFixtures.step(model, 2, 1e-3);
        INDArray state = adamState(3);
        double beta2 = 0.999;
        double eps = 1e-3;
        long t = 7;
        step.optimizer = new OptimizerState(OptimizerState.Kind.ADAM, 1e-3, Double.NaN, 0.9, beta2, eps, t, state);
        // exact: λmax(D H D), D = P^{-1/2}, P = (√v + ε)/√(1−β2^t), on the host
        INDArray v = state.get(NDArrayIndex.point(0), NDArrayIndex.interval(D, 2 * D)).castTo(DataType.DOUBLE);
        INDArray p = Transforms.sqrt(v, true).addi(eps).divi(Math.sqrt(1 - Math.pow(beta2, t)));
        INDArray d = Transforms.pow(p, -0.5, true);
        INDArray scaled = model.hessian(0, 40).mulRowVector(d).mulColumnVector(d.reshape(D, 1));
        double exact = CurvatureFixtures.eigenvalues(scaled)[0];

        Sample s = CurvatureFixtures.sample(PreconditionedSharpnessProbe.builder().tolerance(1e-8).build(), step);
        // quadratic: exact products up to rounding; a 1e-8 change bound → error at rounding level
        // amplified by the spread of P (four decades): 1e-7 relative
        assertEquals(exact, s.value(PreconditionedSharpnessProbe.PRECONDITIONED_SHARPNESS), 1e-7 * exact);
        assertEquals(StabilityThreshold.adam(1e-3, 0.9), s.value(CurvatureMetrics.STABILITY_THRESHOLD), 1e-9);
        assertEquals(exact / StabilityThreshold.adam(1e-3, 0.9), s.value(CurvatureMetrics.EDGE_OF_STABILITY_RATIO),
                1e-7 * exact / StabilityThreshold.adam(1e-3, 0.9));
        assertTrue(s.value(PreconditionedSharpnessProbe.RESIDUAL) < 1e-4);
        assertTrue(s.value(PreconditionedSharpnessProbe.HVP_COUNT) >= 2);
    }

    @Test
    void missingOrMisshapenStateGivesNaNWithoutThrowing() throws Exception {
        LeastSquaresModel model = CurvatureFixtures.leastSquares(40, D, 1);
        TestStep step = CurvatureFixtures.step(model, 2, 1e-3);
        PreconditionedSharpnessProbe probe = PreconditionedSharpnessProbe.builder().build();

        step.optimizer = new OptimizerState(OptimizerState.Kind.ADAM, 1e-3, Double.NaN, 0.9, 0.999, 1e-8, 3, null);
        Sample noState = CurvatureFixtures.sample(probe, step);
        assertTrue(Double.isNaN(noState.value(PreconditionedSharpnessProbe.PRECONDITIONED_SHARPNESS)));
        assertTrue(Double.isNaN(noState.value(CurvatureMetrics.EDGE_OF_STABILITY_RATIO)));
        assertEquals(StabilityThreshold.adam(1e-3, 0.9), noState.value(CurvatureMetrics.STABILITY_THRESHOLD), 1e-9,
                "the threshold is known without the state");

        step.optimizer = new OptimizerState(OptimizerState.Kind.ADAM, 1e-3, Double.NaN, 0.9, 0.999, 1e-8, 3,
                Nd4j.ones(DataType.FLOAT, 1, D));   // d values: not [m | v]
        assertTrue(Double.isNaN(CurvatureFixtures.sample(probe, step)
                .value(PreconditionedSharpnessProbe.PRECONDITIONED_SHARPNESS)));

        step.optimizer = new OptimizerState(OptimizerState.Kind.ADAMAX, 1e-3, Double.NaN, 0.9, 0.999, 1e-8, 3,
                Nd4j.ones(DataType.FLOAT, 1, 2 * D));
        Sample adamax = CurvatureFixtures.sample(probe, step);
        assertTrue(Double.isNaN(adamax.value(PreconditionedSharpnessProbe.PRECONDITIONED_SHARPNESS)));
        assertTrue(Double.isNaN(adamax.value(CurvatureMetrics.STABILITY_THRESHOLD)), "no published AdaMax threshold");

        step.optimizer = OptimizerState.sgd(0.1, 1);
        Sample sgd = CurvatureFixtures.sample(probe, step);
        assertTrue(Double.isNaN(sgd.value(PreconditionedSharpnessProbe.PRECONDITIONED_SHARPNESS)));
        assertTrue(sgd.readings().stream().noneMatch(r -> r.metric().equals(CurvatureMetrics.STABILITY_THRESHOLD)),
                "for SGD the threshold is SharpnessProbe's to write");
    }
}
