package dev.sextant.linalg;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/** Symmetric test matrices with a chosen spectrum: {@code A = V diag(λ) Vᵀ}, V a seeded random orthogonal matrix. */
final class Matrices {
    private Matrices() {
    }

    /** A random orthogonal d×d matrix: the Q of the QR decomposition of a seeded Gaussian matrix. */
    static RealMatrix orthogonal(int d, long seed) {
        Random random = new Random(seed);
        double[][] g = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                g[i][j] = random.nextGaussian();
            }
        }
        return new QRDecomposition(new Array2DRowRealMatrix(g)).getQ();
    }

    /** V diag(λ) Vᵀ in float64. */
    static INDArray withSpectrum(double[] lambda, long seed) {
        int d = lambda.length;
        RealMatrix v = orthogonal(d, seed);
        RealMatrix a = v.multiply(new Array2DRowRealMatrix(diag(lambda))).multiply(v.transpose());
        // symmetrise exactly against rounding in the products
        RealMatrix sym = a.add(a.transpose()).scalarMultiply(0.5);
        return Nd4j.createFromArray(sym.getData());
    }

    /** Column i of the orthogonal matrix used by {@link #withSpectrum} for the same seed: the eigenvector of λ_i. */
    static INDArray eigenvector(int d, long seed, int i) {
        return Nd4j.createFromArray(orthogonal(d, seed).getColumn(i));
    }

    private static double[][] diag(double[] lambda) {
        double[][] m = new double[lambda.length][lambda.length];
        for (int i = 0; i < lambda.length; i++) {
            m[i][i] = lambda[i];
        }
        return m;
    }
}
