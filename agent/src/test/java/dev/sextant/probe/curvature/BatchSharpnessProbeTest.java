package dev.sextant.probe.curvature;

import dev.sextant.probe.OptimizerState;
import dev.sextant.probe.Sample;
import dev.sextant.testing.TestStep;
import dev.sextant.validation.LeastSquaresModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchSharpnessProbeTest {

    @Test
    void curvatureAlongTheBatchGradient() throws Exception {
        LeastSquaresModel model = CurvatureFixtures.leastSquares(50, 12, 1);
        TestStep step = CurvatureFixtures.step(model, 2, 0.05);
        INDArray h = model.hessian(0, 50);
        INDArray g = Nd4j.create(DataType.DOUBLE, 1, 12);
        model.gradient(step.params, 0, 50, g);
        INDArray gc = g.reshape(12, 1);
        double exact = gc.transpose().mmul(h).mmul(gc).getDouble(0) / gc.transpose().mmul(gc).getDouble(0);

        Sample s = CurvatureFixtures.sample(new BatchSharpnessProbe(), step);
        // one central difference on a quadratic: rounding only (u‖g‖/(ε‖Hg‖) ≈ 1e-11); 1e-8 with margin
        assertEquals(exact, s.value(BatchSharpnessProbe.BATCH_SHARPNESS), 1e-8 * exact);
        assertEquals(exact / 40, s.value(BatchSharpnessProbe.BATCH_SHARPNESS_RATIO), 1e-8 * exact / 40, "over 2/η = 40");
        // between the smallest and largest eigenvalue, as a Rayleigh quotient must be
        double[] spectrum = CurvatureFixtures.eigenvalues(h);
        assertTrue(exact < spectrum[0] && exact > spectrum[spectrum.length - 1]);
    }

    @Test
    void ratioIsNaNForAdaptiveOptimizers() throws Exception {
        LeastSquaresModel model = CurvatureFixtures.leastSquares(50, 12, 1);
        TestStep step = CurvatureFixtures.step(model, 2, 0.05);
        step.optimizer = new OptimizerState(OptimizerState.Kind.ADAM, 1e-3, Double.NaN, 0.9, 0.999, 1e-8, 3, null);
        Sample s = CurvatureFixtures.sample(new BatchSharpnessProbe(), step);
        assertTrue(s.value(BatchSharpnessProbe.BATCH_SHARPNESS) > 0);
        assertTrue(Double.isNaN(s.value(BatchSharpnessProbe.BATCH_SHARPNESS_RATIO)));
    }
}
