package dev.sextant.probe.curvature;

import dev.sextant.linalg.HessianVectorProduct;
import dev.sextant.probe.Sample;
import dev.sextant.validation.LeastSquaresModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HessianTraceProbeTest {

    @Test
    void traceWithinThreeStandardErrors() throws Exception {
        LeastSquaresModel model = CurvatureFixtures.leastSquares(50, 12, 1);
        double exact = Nd4j.diag(model.hessian(0, 50)).sumNumber().doubleValue();
        HessianTraceProbe probe = new HessianTraceProbe(50, Integer.MAX_VALUE, HessianVectorProduct.Settings.defaults(), 9);
        Sample s = CurvatureFixtures.sample(probe, CurvatureFixtures.step(model, 2, 0.05));
        double se = s.value(HessianTraceProbe.TRACE_STDERR);
        // unbiased estimator: 3 standard errors is a 99.7% band (CLT); deterministic for this seed
        assertTrue(Math.abs(s.value(HessianTraceProbe.TRACE) - exact) < 3 * se,
                s.value(HessianTraceProbe.TRACE) + " ± " + se + " vs " + exact);
        assertTrue(se > 0 && se < 0.2 * exact, "a dense Hessian gives a finite, informative SE: " + se);
    }

    @Test
    void settingsNameTheFieldAndTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HessianTraceProbe(1, 10, HessianVectorProduct.Settings.defaults(), 1));
        assertEquals("samples = 1 is outside the allowed range [2, 100000]", e.getMessage());
    }
}
