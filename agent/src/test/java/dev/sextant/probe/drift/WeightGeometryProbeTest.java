package dev.sextant.probe.drift;

import dev.sextant.probe.ParamLayout;
import dev.sextant.probe.ParamSegment;
import dev.sextant.probe.Readings;
import dev.sextant.probe.Sample;
import dev.sextant.testing.TestStep;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static dev.sextant.probe.drift.WeightGeometryProbe.ALL;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Hand-computed norms on a 5-parameter "network": layer 0 has W (3 values) and b (2 values). */
class WeightGeometryProbeTest {
    // Exact in float64; tolerance covers summation-order rounding only.
    static final double TOL = 1e-12;

    private static Sample run(TestStep step) {
        Readings r = new Readings();
        new WeightGeometryProbe().sample(step, r);
        return new Sample("weights", step.step, 0, 0, r.list());
    }

    private static TestStep step() {
        TestStep s = new TestStep();
        s.layout = new ParamLayout(List.of(new ParamSegment("0", "W", 0, 3), new ParamSegment("0", "b", 3, 2)));
        s.params = Nd4j.createFromArray(3.0, 4.0, 0.0, 1.0, 0.0);          // ||W|| = 5, ||b|| = 1
        s.initialParams = Nd4j.createFromArray(3.0, 4.0, 12.0, 1.0, 2.0);  // W - W0 = (0,0,-12), b - b0 = (0,-2)
        s.update = Nd4j.createFromArray(0.3, 0.4, 0.0, 0.0, 0.1);          // ||dW|| = 0.5, ||db|| = 0.1
        s.previousUpdate = Nd4j.createFromArray(-0.3, -0.4, 0.0, 0.0, 0.2); // cos W = -1, cos b = 1
        s.rawGradient = Nd4j.createFromArray(1.0, 2.0, 2.0, 0.0, 4.0);     // ||gW|| = 3, ||gb|| = 4
        return s;
    }

    @Test
    void perParameterValuesMatchHandComputedNorms() {
        Sample s = run(step());
        assertEquals(5.0, s.value(WeightGeometryProbe.WEIGHT_NORM, "0", "W"), TOL);
        assertEquals(1.0, s.value(WeightGeometryProbe.WEIGHT_NORM, "0", "b"), TOL);
        assertEquals(12.0, s.value(WeightGeometryProbe.INIT_DISTANCE, "0", "W"), TOL);
        assertEquals(2.0, s.value(WeightGeometryProbe.INIT_DISTANCE, "0", "b"), TOL);
        assertEquals(0.5, s.value(WeightGeometryProbe.UPDATE_NORM, "0", "W"), TOL);
        assertEquals(0.1, s.value(WeightGeometryProbe.UPDATE_RATIO, "0", "W"), TOL);
        assertEquals(0.1, s.value(WeightGeometryProbe.UPDATE_RATIO, "0", "b"), TOL);
        assertEquals(-1.0, s.value(WeightGeometryProbe.UPDATE_COSINE, "0", "W"), TOL);
        assertEquals(1.0, s.value(WeightGeometryProbe.UPDATE_COSINE, "0", "b"), TOL);
        assertEquals(3.0, s.value(WeightGeometryProbe.GRADIENT_NORM, "0", "W"), TOL);
        assertEquals(4.0, s.value(WeightGeometryProbe.GRADIENT_NORM, "0", "b"), TOL);
        assertEquals(0.0, s.value(WeightGeometryProbe.WEIGHT_NONFINITE, "0", "W"));
    }

    @Test
    void wholeModelAggregatesAreNormsOfTheWholeVector() {
        Sample s = run(step());
        assertEquals(Math.sqrt(26), s.value(WeightGeometryProbe.WEIGHT_NORM, ALL, ALL), TOL);
        assertEquals(Math.sqrt(148), s.value(WeightGeometryProbe.INIT_DISTANCE, ALL, ALL), TOL);
        assertEquals(5.0, s.value(WeightGeometryProbe.GRADIENT_NORM, ALL, ALL), TOL);
        // dW·dWprev = -0.25 + 0.02 = -0.23; ||dW|| = sqrt(0.26), ||dWprev|| = sqrt(0.29)
        assertEquals(-0.23 / Math.sqrt(0.26 * 0.29), s.value(WeightGeometryProbe.UPDATE_COSINE, ALL, ALL), TOL);
    }

    @Test
    void nonFiniteValuesAreCountedNotHidden() {
        TestStep st = step();
        st.params = Nd4j.createFromArray(Double.NaN, 4.0, Double.POSITIVE_INFINITY, 1.0, 0.0);
        st.rawGradient = Nd4j.createFromArray(1.0, 2.0, 2.0, Double.NaN, 4.0);
        Sample s = run(st);
        assertEquals(2.0, s.value(WeightGeometryProbe.WEIGHT_NONFINITE, "0", "W"));
        assertEquals(0.0, s.value(WeightGeometryProbe.WEIGHT_NONFINITE, "0", "b"));
        assertEquals(1.0, s.value(WeightGeometryProbe.GRADIENT_NONFINITE, "0", "b"));
        assertEquals(3.0, s.value(WeightGeometryProbe.WEIGHT_NONFINITE, ALL, ALL) + s.value(WeightGeometryProbe.GRADIENT_NONFINITE, ALL, ALL));
        assertEquals(Double.NaN, s.value(WeightGeometryProbe.WEIGHT_NORM, "0", "W"));
    }

    @Test
    void withoutRawGradientOrPreviousUpdateThoseMetricsAreAbsent() {
        TestStep st = step();
        st.rawGradient = null;
        st.previousUpdate = null;
        Sample s = run(st);
        assertEquals(Double.NaN, s.value(WeightGeometryProbe.GRADIENT_NORM, "0", "W"));
        assertEquals(Double.NaN, s.value(WeightGeometryProbe.UPDATE_COSINE, "0", "W"));
        assertEquals(5.0, s.value(WeightGeometryProbe.WEIGHT_NORM, "0", "W"), TOL);
    }

    @Test
    void float32ParametersWork() {
        TestStep st = step();
        st.params = st.params.castTo(DataType.FLOAT);
        st.initialParams = st.initialParams.castTo(DataType.FLOAT);
        st.update = st.update.castTo(DataType.FLOAT);
        st.previousUpdate = st.previousUpdate.castTo(DataType.FLOAT);
        st.rawGradient = st.rawGradient.castTo(DataType.FLOAT);
        Sample s = run(st);
        // float32 rounding of 0.3, 0.4 etc.: 1e-6 relative
        assertEquals(12.0, s.value(WeightGeometryProbe.INIT_DISTANCE, "0", "W"), 1e-5);
        assertEquals(-1.0, s.value(WeightGeometryProbe.UPDATE_COSINE, "0", "W"), 1e-6);
    }
}
