package dev.sextant.validation;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/**
 * Least squares whose Hessian has a chosen spectrum: {@code X = √(n/2)·Q·diag(√λ)·Vᵀ} with Q (n×d)
 * and V (d×d) orthonormal, from QR decompositions of seeded Gaussian matrices, gives
 * {@code H = (2/n) XᵀX = V diag(λ) Vᵀ} for {@link LeastSquaresModel}'s loss. Targets are seeded
 * Gaussian. Built on the host: a d×d and an n×d matrix for validation, not a training-size array.
 */
final class CurvatureCaseModels {
    private CurvatureCaseModels() {
    }

    /**
     * @param lambda     the Hessian's eigenvalues (d of them, any order, ≥ 0)
     * @param n          rows, ≥ d
     * @param rotate     whether to rotate the eigenvectors (V random) or keep them on the axes (V = I: H diagonal)
     * @param seed       seed of Q, V and the targets
     */
    static LeastSquaresModel leastSquaresWithSpectrum(double[] lambda, int n, boolean rotate, long seed) {
        int d = lambda.length;
        Random random = new Random(seed);
        RealMatrix q = orthonormalColumns(n, d, random);
        RealMatrix v = rotate ? orthonormalColumns(d, d, random) : identity(d);
        double[][] scaled = new double[d][d];
        for (int i = 0; i < d; i++) {
            scaled[i][i] = Math.sqrt(lambda[i] * n / 2.0);
        }
        RealMatrix x = q.multiply(new Array2DRowRealMatrix(scaled)).multiply(v.transpose());
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = random.nextGaussian();
        }
        return new LeastSquaresModel(Nd4j.createFromArray(x.getData()),
                Nd4j.createFromArray(y));
    }

    private static RealMatrix orthonormalColumns(int rows, int columns, Random random) {
        double[][] g = new double[rows][columns];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                g[i][j] = random.nextGaussian();
            }
        }
        RealMatrix full = new QRDecomposition(new Array2DRowRealMatrix(g)).getQ();
        return full.getSubMatrix(0, rows - 1, 0, columns - 1);
    }

    private static RealMatrix identity(int d) {
        double[][] m = new double[d][d];
        for (int i = 0; i < d; i++) {
            m[i][i] = 1;
        }
        return new Array2DRowRealMatrix(m);
    }
}
