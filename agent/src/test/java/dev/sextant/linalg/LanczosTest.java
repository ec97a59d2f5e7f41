package dev.sextant.linalg;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LanczosTest {

    /** 60 eigenvalues: 10, 6, 3, then a geometric tail from 1 down to 1e-3. */
    private static double[] spectrum() {
        double[] l = new double[60];
        l[0] = 10;
        l[1] = 6;
        l[2] = 3;
        for (int i = 3; i < l.length; i++) {
            l[i] = Math.pow(10, -3.0 * (i - 3) / (l.length - 4));
        }
        return l;
    }

    @Test
    void topThreeEigenvaluesOfAKnownSpectrum() {
        MatrixOperator a = new MatrixOperator(Matrices.withSpectrum(spectrum(), 5));
        Lanczos.Result r = new Lanczos(3, Lanczos.DEFAULT_TOLERANCE, 100, 1).run(a, null);
        // the stopping rule bounds the change between iterations (1e-3), not the error; extreme
        // Ritz values converge superlinearly on these gaps (6/10, 3/6): measured relative errors
        // 1e-15, 3e-12, 3.8e-6 after 8 iterations; 1e-4 is the accuracy the validation suite asks
        for (int i = 0; i < 3; i++) {
            assertEquals(spectrum()[i], r.ritzValues()[i], 1e-4 * spectrum()[i], "λ" + (i + 1));
        }
        assertTrue(r.converged());
        assertTrue(r.iterations() < 30, "iterations " + r.iterations());
        assertEquals(r.iterations() + 1, r.products(), "one product per iteration, one for the residual");
        assertEquals(r.products(), a.applications);
    }

    @Test
    void tightToleranceReachesRoundingAccuracy() {
        MatrixOperator a = new MatrixOperator(Matrices.withSpectrum(spectrum(), 5));
        Lanczos.Result r = new Lanczos(3, 1e-12, 100, 1).run(a, null);
        // full reorthogonalisation keeps the basis orthogonal to rounding: Ritz values agree with
        // the eigenvalues to ~1e-14 relative; 1e-10 leaves room for the eigenvector construction
        for (int i = 0; i < 3; i++) {
            assertEquals(spectrum()[i], r.ritzValues()[i], 1e-10 * spectrum()[i], "λ" + (i + 1));
        }
        // the top Ritz vector is the eigenvector of 10, up to sign
        double cos = Math.abs(Vectors.dot(r.topVector(), Matrices.eigenvector(60, 5, 0)));
        assertEquals(1.0, cos, 1e-10);
        assertTrue(r.residual() < 1e-8, "residual " + r.residual());
    }

    @Test
    void findsTheAlgebraicallyLargestEigenvalueWhenANegativeOneIsLargerInMagnitude() {
        // a saddle: eigenvalues −10 (largest magnitude), then 3, 2.5, 1, ... The algebraically
        // largest is 3. Power iteration converges to −10, the eigenvalue of largest magnitude.
        double[] l = spectrum();
        l[0] = -10;
        l[1] = 3;
        l[2] = 2.5;
        INDArray matrix = Matrices.withSpectrum(l, 9);
        double power = powerIteration(matrix, 200);
        assertEquals(-10, power, 1e-6, "power iteration picks the largest magnitude");

        Lanczos.Result r = new Lanczos(2, 1e-8, 100, 2).run(new MatrixOperator(matrix), null);
        assertEquals(3, r.top(), 1e-6);
        assertEquals(2.5, r.ritzValues()[1], 1e-6);
    }

    private static double powerIteration(INDArray a, int steps) {
        Nd4j.getRandom().setSeed(4);
        INDArray v = Nd4j.randn(DataType.DOUBLE, a.rows(), 1);
        double rayleigh = 0;
        for (int i = 0; i < steps; i++) {
            v.divi(v.norm2Number());
            INDArray av = a.mmul(v);
            rayleigh = v.transpose().mmul(av).getDouble(0);
            v = av;
        }
        return rayleigh;
    }

    @Test
    void warmStartFromThePreviousTopVectorNeedsFewerProducts() {
        // training moves curvature directions slowly: the matrix of the next sample is a small
        // perturbation of this one (eigenvalues shifted by 1%, eigenvectors rotated slightly)
        double[] before = spectrum();
        double[] after = Arrays.stream(before).map(x -> x * 1.01).toArray();
        INDArray a0 = Matrices.withSpectrum(before, 5);
        INDArray a1 = Matrices.withSpectrum(after, 5);
        Nd4j.getRandom().setSeed(8);
        INDArray noise = Nd4j.randn(DataType.DOUBLE, 60, 60).muli(1e-3);
        a1.addi(noise.add(noise.transpose()));

        Lanczos lanczos = new Lanczos(1, Lanczos.DEFAULT_TOLERANCE, 100, 3);
        Lanczos.Result previous = lanczos.run(new MatrixOperator(a0), null);
        Lanczos.Result cold = lanczos.run(new MatrixOperator(a1), null);
        Lanczos.Result warm = lanczos.run(new MatrixOperator(a1), previous.topVector());
        assertEquals(cold.top(), warm.top(), 1e-3 * cold.top(), "same answer");
        assertTrue(warm.products() < cold.products(), "warm " + warm.products() + " vs cold " + cold.products());
    }

    @Test
    void smallDimensionIsSolvedExactly() {
        // d = 3 < k, maxIterations: the Krylov space is all of R³ after at most 3 products
        INDArray a = Nd4j.createFromArray(new double[][]{{2, 1, 0}, {1, 2, 1}, {0, 1, 2}});
        Lanczos.Result r = new Lanczos(5, 1e-3, 100, 1).run(new MatrixOperator(a), null);
        // eigenvalues of this tridiagonal Toeplitz matrix: 2 + 2cos(kπ/4), k = 1..3
        assertArrayEquals(new double[]{2 + Math.sqrt(2), 2, 2 - Math.sqrt(2)}, r.ritzValues(), 1e-12);
        assertTrue(r.converged());
        assertTrue(r.iterations() <= 3);
    }

    @Test
    void settingsNameTheFieldAndTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Lanczos(0, 1e-3, 100, 1));
        assertEquals("topK = 0 is outside the allowed range [1, 100]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Lanczos(1, 1.5, 100, 1));
        assertEquals("tolerance = 1.5 is outside the allowed range (0.0, 1.0) (finite, bounds excluded)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Lanczos(1, 1e-3, 0, 1));
        assertEquals("maxIterations = 0 is outside the allowed range [1, 10000]", e.getMessage());
    }
}
