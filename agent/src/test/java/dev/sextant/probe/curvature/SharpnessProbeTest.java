package dev.sextant.probe.curvature;

import dev.sextant.export.MetricsExporter;
import dev.sextant.linalg.HessianVectorProduct;
import dev.sextant.probe.OptimizerState;
import dev.sextant.probe.Sample;
import dev.sextant.testing.TestStep;
import dev.sextant.validation.LeastSquaresModel;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharpnessProbeTest {

    @Test
    void topEigenvaluesOfALeastSquaresHessian() throws Exception {
        LeastSquaresModel model = CurvatureFixtures.leastSquares(60, 15, 1);
        TestStep step = CurvatureFixtures.step(model, 2, 0.05);
        double[] exact = CurvatureFixtures.eigenvalues(model.hessian(0, 60));
        Sample s = CurvatureFixtures.sample(SharpnessProbe.builder().topK(2).build(), step);
        // quadratic loss: central differences exact up to rounding; with k = 2 Lanczos runs until
        // λ2 settles too, by which time λ1 has converged far below the 1e-3 change bound;
        // 1e-4 is the accuracy the validation suite promises
        assertEquals(exact[0], s.value(SharpnessProbe.SHARPNESS), 1e-4 * exact[0]);
        assertEquals(exact[0], s.value(SharpnessProbe.EIGENVALUE, "1"), 1e-4 * exact[0]);
        assertEquals(exact[1], s.value(SharpnessProbe.EIGENVALUE, "2"), 1e-4 * exact[1]);
        assertTrue(s.value(SharpnessProbe.RESIDUAL) < 1e-2, "residual " + s.value(SharpnessProbe.RESIDUAL));
        assertEquals(0, s.value(CurvatureMetrics.FD_RETRIES, SharpnessProbe.ESTIMATOR));
        assertTrue(s.value(CurvatureMetrics.FD_DISAGREEMENT, SharpnessProbe.ESTIMATOR) < 1e-6,
                "a quadratic has no third derivative: forward and backward differences agree to rounding");
        // SGD: threshold 2/η = 40, ratio λ1/40
        assertEquals(40, s.value(CurvatureMetrics.STABILITY_THRESHOLD), 1e-12);
        assertEquals(s.value(SharpnessProbe.SHARPNESS) / 40, s.value(CurvatureMetrics.EDGE_OF_STABILITY_RATIO), 1e-15);
    }

    @Test
    void defaultStoppingRuleOnAClusteredSpectrum() throws Exception {
        // Gaussian data: a Marchenko–Pastur-like spectrum, λ2/λ1 = 0.95. PyHessian's rule (top value
        // changes < 1e-3 between iterations) bounds the change, not the error: measured error 5.4e-4
        // after 8 iterations. The residual says so: ‖Hy − λy‖/|λ| = 9e-3.
        LeastSquaresModel model = CurvatureFixtures.leastSquares(60, 15, 1);
        double[] exact = CurvatureFixtures.eigenvalues(model.hessian(0, 60));
        Sample s = CurvatureFixtures.sample(SharpnessProbe.builder().build(), CurvatureFixtures.step(model, 2, 0.05));
        assertEquals(exact[0], s.value(SharpnessProbe.SHARPNESS), 1e-3 * exact[0]);
        assertTrue(s.value(SharpnessProbe.SHARPNESS) <= exact[0] * (1 + 1e-12), "Ritz values approach from below");
        assertTrue(s.value(SharpnessProbe.RESIDUAL) > 1e-3, "an unconverged vector shows in the residual");
    }

    @Test
    void warmStartFromThePreviousSampleNeedsFewerProducts() throws Exception {
        // least squares: H does not depend on w, so the previous top Ritz vector is (nearly) the top
        // eigenvector at the next step, and Lanczos from it meets the stopping rule sooner
        LeastSquaresModel model = CurvatureFixtures.leastSquares(60, 15, 1);
        double[] exact = CurvatureFixtures.eigenvalues(model.hessian(0, 60));
        SharpnessProbe probe = SharpnessProbe.builder().build();
        Sample first = CurvatureFixtures.sample(probe, CurvatureFixtures.step(model, 2, 0.05));
        Sample second = CurvatureFixtures.sample(probe, CurvatureFixtures.step(model, 3, 0.05));
        double cold = first.value(SharpnessProbe.HVP_COUNT);
        double warm = second.value(SharpnessProbe.HVP_COUNT);
        assertTrue(warm < cold, "warm " + warm + " vs cold " + cold);
        // both within the default rule's accuracy on this spectrum (see the test above); the warm
        // run continues from a better vector, so it is at least as close
        assertEquals(exact[0], first.value(SharpnessProbe.SHARPNESS), 1e-3 * exact[0]);
        assertTrue(Math.abs(second.value(SharpnessProbe.SHARPNESS) - exact[0])
                <= Math.abs(first.value(SharpnessProbe.SHARPNESS) - exact[0]));
    }

    @Test
    void probeBatchSizeSelectsTheFirstRows() throws Exception {
        LeastSquaresModel model = CurvatureFixtures.leastSquares(60, 15, 4);
        double[] exact = CurvatureFixtures.eigenvalues(model.hessian(0, 20));
        double[] whole = CurvatureFixtures.eigenvalues(model.hessian(0, 60));
        Sample s = CurvatureFixtures.sample(SharpnessProbe.builder().probeBatchSize(20).build(),
                CurvatureFixtures.step(model, 5, 0.05));
        assertEquals(exact[0], s.value(SharpnessProbe.SHARPNESS), 1e-4 * exact[0]);
        assertTrue(Math.abs(whole[0] - exact[0]) > 1e-2 * exact[0], "the sub-batch Hessian differs from the batch's");
    }

    @Test
    void float32ParametersAreProbedInTheModelsFloat64() throws Exception {
        LeastSquaresModel model = CurvatureFixtures.leastSquares(60, 15, 1);
        TestStep step = CurvatureFixtures.step(model, 2, 0.05);
        step.params = step.params.castTo(DataType.FLOAT);
        double[] exact = CurvatureFixtures.eigenvalues(model.hessian(0, 60));
        Sample s = CurvatureFixtures.sample(SharpnessProbe.builder().tolerance(1e-10).build(), step);
        // H of least squares does not depend on w, so rounding w to float32 changes nothing; the
        // products run in float64 (the model's type): rounding-level agreement, 1e-8 with margin
        assertEquals(exact[0], s.value(SharpnessProbe.SHARPNESS), 1e-8 * exact[0]);
    }

    @Test
    void adaptiveOptimizersLeaveTheThresholdToThePreconditionedProbe() throws Exception {
        LeastSquaresModel model = CurvatureFixtures.leastSquares(30, 6, 1);
        TestStep step = CurvatureFixtures.step(model, 2, 0.05);
        step.optimizer = new OptimizerState(OptimizerState.Kind.ADAM, 1e-3, Double.NaN, 0.9, 0.999, 1e-8, 5, null);
        Sample s = CurvatureFixtures.sample(SharpnessProbe.builder().build(), step);
        assertTrue(s.readings().stream().noneMatch(r -> r.metric().equals(CurvatureMetrics.STABILITY_THRESHOLD)
                || r.metric().equals(CurvatureMetrics.EDGE_OF_STABILITY_RATIO)));
        assertTrue(s.value(SharpnessProbe.SHARPNESS) > 0);
    }

    @Test
    void aDivergedLossGivesNaNAndTheNextSampleRecovers() throws Exception {
        // NaN in the data makes every gradient NaN: the sample says NaN (never a number, never an
        // exception every step), and the probe starts cold and correct on the next finite step
        LeastSquaresModel good = CurvatureFixtures.leastSquares(30, 6, 1);
        INDArray x = good.x().dup();
        x.putScalar(0, 0, Double.NaN);
        LeastSquaresModel diverged = new LeastSquaresModel(x, Nd4j.zeros(DataType.DOUBLE, 30));
        SharpnessProbe probe = SharpnessProbe.builder().build();
        Sample bad = CurvatureFixtures.sample(probe, CurvatureFixtures.step(diverged, 2, 0.05));
        assertTrue(Double.isNaN(bad.value(SharpnessProbe.SHARPNESS)));
        assertTrue(Double.isNaN(bad.value(CurvatureMetrics.EDGE_OF_STABILITY_RATIO)));
        Sample next = CurvatureFixtures.sample(probe, CurvatureFixtures.step(good, 2, 0.05));
        double exact = CurvatureFixtures.eigenvalues(good.hessian(0, 30))[0];
        assertEquals(exact, next.value(SharpnessProbe.SHARPNESS), 1e-3 * exact);
    }

    @Test
    void exportedNamesAndLabels() throws Exception {
        LeastSquaresModel model = CurvatureFixtures.leastSquares(30, 6, 1);
        SharpnessProbe probe = SharpnessProbe.builder().topK(2).build();
        PrometheusMeterRegistry registry = MetricsExporter.newRegistry();
        MetricsExporter exporter = new MetricsExporter(registry, "r1", "m1", List.of(probe));
        exporter.accept(CurvatureFixtures.sample(probe, CurvatureFixtures.step(model, 2, 0.05)));
        String text = registry.scrape();
        for (String name : new String[]{"sextant_sharpness{", "sextant_hessian_eigenvalue{", "rank=\"2\"",
                "sextant_sharpness_residual{", "sextant_sharpness_hvp_count{", "sextant_hvp_fd_disagreement{",
                "estimator=\"sharpness\"", "sextant_hvp_fd_retries{", "sextant_stability_threshold{",
                "sextant_edge_of_stability_ratio{"}) {
            assertTrue(text.contains(name), name + " missing from\n" + text);
        }
    }

    @Test
    void settingsNameTheFieldTheValueAndTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SharpnessProbe.builder().topK(21).build());
        assertEquals("topK = 21 is outside the allowed range [1, 20]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SharpnessProbe.builder().topK(5).maxIterations(3).build());
        assertEquals("topK = 5 is outside the allowed range [1, maxIterations = 3]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SharpnessProbe.builder().probeBatchSize(0).build());
        assertEquals("probeBatchSize = 0 is outside the allowed range [1, 2147483647]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SharpnessProbe.builder().tolerance(0).build());
        assertTrue(e.getMessage().startsWith("tolerance = 0.0 is outside the allowed range (0.0, 1.0)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SharpnessProbe.builder()
                .finiteDifference(HessianVectorProduct.Settings.defaults().withMaxRetries(11)).build());
        assertEquals("maxRetries = 11 is outside the allowed range [0, 10]", e.getMessage());
    }
}
