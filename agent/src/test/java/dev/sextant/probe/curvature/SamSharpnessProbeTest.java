package dev.sextant.probe.curvature;

import dev.sextant.probe.Sample;
import dev.sextant.testing.TestStep;
import dev.sextant.validation.LeastSquaresModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamSharpnessProbeTest {

    @Test
    void quadraticClosedForm() throws Exception {
        // on a quadratic, L(w + ρĝ) − L(w) = ρ‖g‖ + ½ρ² ĝᵀHĝ exactly
        LeastSquaresModel model = CurvatureFixtures.leastSquares(50, 12, 1);
        TestStep step = CurvatureFixtures.step(model, 2, 0.05);
        INDArray g = Nd4j.create(DataType.DOUBLE, 1, 12);
        model.gradient(step.params, 0, 20, g);
        INDArray gc = g.reshape(12, 1);
        double norm = gc.norm2Number().doubleValue();
        double rho = 0.2;
        double curvature = gc.transpose().mmul(model.hessian(0, 20)).mmul(gc).getDouble(0) / (norm * norm);
        double exact = rho * norm + 0.5 * rho * rho * curvature;
        Sample s = CurvatureFixtures.sample(new SamSharpnessProbe(rho, 20), step);
        // a difference of two float64 losses of size ~1: rounding ~1e-15 relative to S; 1e-10 with margin
        assertEquals(exact, s.value(SamSharpnessProbe.SAM_SHARPNESS), 1e-10 * exact);
    }

    @Test
    void zeroGradientHasNoAscentDirection() throws Exception {
        // targets y = Xw make the residual, hence the gradient, exactly zero at w
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 20, 5);
        INDArray w = Nd4j.randn(DataType.DOUBLE, 1, 5);
        LeastSquaresModel model = new LeastSquaresModel(x, x.mmul(w.reshape(5, 1)));
        TestStep step = TestStep.single(w);
        step.model = model;
        Sample s = CurvatureFixtures.sample(new SamSharpnessProbe(), step);
        assertTrue(Double.isNaN(s.value(SamSharpnessProbe.SAM_SHARPNESS)));
    }

    @Test
    void rhoMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SamSharpnessProbe(0, 10));
        assertTrue(e.getMessage().startsWith("rho = 0.0 is outside the allowed range (0.0, "), e.getMessage());
    }
}
