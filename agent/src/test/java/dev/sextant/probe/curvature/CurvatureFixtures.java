package dev.sextant.probe.curvature;

import dev.sextant.probe.Probe;
import dev.sextant.probe.Readings;
import dev.sextant.probe.Sample;
import dev.sextant.probe.StepView;
import dev.sextant.testing.TestStep;
import dev.sextant.validation.LeastSquaresModel;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/** Random least-squares steps and exact spectra for the curvature probe tests. */
final class CurvatureFixtures {
    private CurvatureFixtures() {
    }

    /** Least squares with n Gaussian rows in d dimensions (float64), seeded. */
    static LeastSquaresModel leastSquares(int n, int d, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return new LeastSquaresModel(Nd4j.randn(DataType.DOUBLE, n, d), Nd4j.randn(DataType.DOUBLE, n));
    }

    /** A step at seeded Gaussian parameters of shape [1, d] on {@code model}, SGD with learning rate {@code lr}. */
    static TestStep step(LeastSquaresModel model, long seed, double lr) {
        Nd4j.getRandom().setSeed(seed);
        TestStep s = TestStep.single(Nd4j.randn(DataType.DOUBLE, 1, model.x().columns()));
        s.model = model;
        s.batchSize = model.batchSize();
        s.optimizer = dev.sextant.probe.OptimizerState.sgd(lr, 1);
        return s;
    }

    /** Eigenvalues of a small symmetric matrix, largest first (host, commons-math). */
    static double[] eigenvalues(INDArray symmetric) {
        double[][] a = symmetric.toDoubleMatrix();
        double[] values = new EigenDecomposition(new Array2DRowRealMatrix(a)).getRealEigenvalues();
        Arrays.sort(values);
        double[] descending = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            descending[i] = values[values.length - 1 - i];
        }
        return descending;
    }

    /** Runs one probe call and wraps its readings. */
    static Sample sample(Probe probe, StepView step) throws Exception {
        Readings readings = new Readings();
        probe.sample(step, readings);
        return new Sample(probe.name(), step.step(), step.epoch(), 0, readings.list());
    }
}
