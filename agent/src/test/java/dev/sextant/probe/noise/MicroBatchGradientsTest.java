package dev.sextant.probe.noise;

import dev.sextant.testing.TestStep;
import dev.sextant.validation.LeastSquaresModel;
import dev.sextant.validation.NoisyGradientModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the batch is split, where the gradients are evaluated, and what the k×P buffer holds. */
class MicroBatchGradientsTest {
    /** Means of 3 and 9 small numbers in float64: a few ulps. */
    private static final double ROUNDING = 1e-13;

    /**
     * 10 examples, k = 3: micro-batches are rows [0,3), [3,6), [6,9); row 9 (a huge value that
     * would show) is left out. Per-example gradient of row n is (n, n², 1).
     */
    @Test
    void splitsTheBatchIntoEqualMicroBatchesAndLeavesTheRemainderOut() {
        double[][] rows = new double[10][];
        for (int n = 0; n < 9; n++) {
            rows[n] = new double[]{n, n * n, 1};
        }
        rows[9] = new double[]{1e6, 1e6, 1e6};
        TestStep step = step(new NoisyGradientModel(Nd4j.create(rows)), Nd4j.zeros(DataType.FLOAT, 1, 3));
        MicroBatchGradients g = new MicroBatchGradients(3);

        assertTrue(g.evaluate(step));
        assertEquals(3, g.microBatchSize());
        assertEquals(9, g.coveredRows());
        // micro-batch means: (1, 5/3, 1), (4, 50/3, 1), (7, 149/3, 1); their mean (4, 68/3, 1)
        double[][] micro = {{1, 5.0 / 3, 1}, {4, 50.0 / 3, 1}, {7, 149.0 / 3, 1}};
        double[] mean = {4, 68.0 / 3, 1};
        assertArrayEquals(mean, g.mean().toDoubleVector(), 68.0 / 3 * ROUNDING);
        double[][] deviations = g.deviations().toDoubleMatrix();
        double[] squaredDeviationSums = new double[3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(micro[i][j] - mean[j], deviations[i][j], 40 * ROUNDING, "d[" + i + "][" + j + "]");
                squaredDeviationSums[j] += (micro[i][j] - mean[j]) * (micro[i][j] - mean[j]);
            }
        }
        assertArrayEquals(squaredDeviationSums, g.squaredDeviationSums().toDoubleVector(), 1e3 * ROUNDING);
    }

    /**
     * The gradients are taken at w(t−1) = w(t) + Δw, where the batch was drawn, not at w(t). Least
     * squares on 12 rows, k = 4: the mean of the four 3-row gradients is the 12-row gradient.
     */
    @Test
    void evaluatesAtTheParametersBeforeTheUpdate() {
        Nd4j.getRandom().setSeed(42);
        LeastSquaresModel model = new LeastSquaresModel(Nd4j.randn(DataType.DOUBLE, 12, 3),
                Nd4j.randn(DataType.DOUBLE, 12));
        // float32 values that are exact in float32, so the float64 sum is exact too
        INDArray params = Nd4j.createFromArray(new float[][]{{0.5f, -1.25f, 2f}});
        TestStep step = step(model, params);
        step.update = Nd4j.createFromArray(new float[][]{{0.25f, 0.5f, -0.75f}});
        MicroBatchGradients g = new MicroBatchGradients(4);
        assertTrue(g.evaluate(step));

        INDArray before = Nd4j.createFromArray(new double[][]{{0.75, -0.75, 1.25}});
        INDArray expected = Nd4j.create(DataType.DOUBLE, 1, 3);
        model.gradient(before, 0, 12, expected);
        double scale = expected.norm2Number().doubleValue();
        assertArrayEquals(expected.toDoubleVector(), g.mean().toDoubleVector(), scale * ROUNDING);

        INDArray atParams = Nd4j.create(DataType.DOUBLE, 1, 3);
        model.gradient(params.castTo(DataType.DOUBLE), 0, 12, atParams);
        assertTrue(atParams.distance2(expected) > 0.1 * scale, "the two points must give different gradients");
    }

    /** The oracle refuses anything but float64, so a successful evaluation proves the float32 parameters were cast. */
    @Test
    void castsFloat32ParametersToTheModelsType() {
        NoisyGradientModel model = new NoisyGradientModel(Nd4j.rand(DataType.DOUBLE, 8, 5));
        INDArray float32 = Nd4j.zeros(DataType.FLOAT, 1, 5);
        assertThrows(IllegalArgumentException.class, () -> model.gradient(float32, 0, 8, Nd4j.create(DataType.FLOAT, 1, 5)));
        MicroBatchGradients g = new MicroBatchGradients(2);
        assertTrue(g.evaluate(step(model, float32)));
        assertEquals(DataType.DOUBLE, g.deviations().dataType());
    }

    @Test
    void reusesItsBufferBetweenEvaluations() {
        NoisyGradientModel model = new NoisyGradientModel(Nd4j.rand(DataType.DOUBLE, 8, 5));
        TestStep step = step(model, Nd4j.zeros(DataType.FLOAT, 1, 5));
        MicroBatchGradients g = new MicroBatchGradients(4);
        g.evaluate(step);
        INDArray first = g.deviations();
        g.evaluate(step);
        assertSame(first, g.deviations());
    }

    @Test
    void reportsABatchSmallerThanKInsteadOfThrowing() {
        NoisyGradientModel model = new NoisyGradientModel(Nd4j.rand(DataType.DOUBLE, 3, 5));
        assertFalse(new MicroBatchGradients(4).evaluate(step(model, Nd4j.zeros(DataType.FLOAT, 1, 5))));
    }

    @Test
    void rejectsFewerThanTwoMicroBatches() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MicroBatchGradients(1));
        assertTrue(e.getMessage().startsWith("microBatches = 1: must be at least 2"), e.getMessage());
    }

    private static TestStep step(dev.sextant.probe.ProbedModel model, INDArray params) {
        TestStep s = TestStep.single(params);
        s.model = model;
        s.batchSize = model.batchSize();
        return s;
    }
}
