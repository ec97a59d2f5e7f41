package dev.sextant.linalg;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HutchinsonTest {

    private static double[] spectrum() {
        double[] l = new double[40];
        for (int i = 0; i < l.length; i++) {
            l[i] = 5.0 / (i + 1) - (i % 7 == 0 ? 1 : 0);   // mixed signs, trace ≈ 15.0
        }
        return l;
    }

    @Test
    void diagonalMatrixIsExactBecauseRademacherSquaresAreOne() {
        // vᵀDv = Σ d_j v_j² = Σ d_j when every v_j = ±1: every sample is the trace, SE 0
        INDArray d = Nd4j.diag(Nd4j.createFromArray(spectrum()));
        Hutchinson.TraceEstimate t = new Hutchinson(5, 1).estimate(new MatrixOperator(d));
        double trace = java.util.Arrays.stream(spectrum()).sum();
        assertEquals(trace, t.mean(), 1e-12 * Math.abs(trace));
        assertEquals(0, t.standardError(), 1e-12);
    }

    @Test
    void denseMatrixWithinThreeStandardErrorsAndTheStandardErrorMatchesTheory() {
        INDArray a = Matrices.withSpectrum(spectrum(), 21);
        double trace = java.util.Arrays.stream(spectrum()).sum();
        int m = 400;
        Hutchinson.TraceEstimate t = new Hutchinson(m, 2).estimate(new MatrixOperator(a));
        // the estimate is unbiased: |mean − tr| < 3 SE holds with probability 99.7% (CLT), and
        // for this seed it is deterministic
        assertTrue(Math.abs(t.mean() - trace) < 3 * t.standardError(),
                "estimate " + t.mean() + " ± " + t.standardError() + " vs " + trace);
        // Avron & Toledo: Var(vᵀAv) = 2(‖A‖_F² − Σ A_jj²). The sample SE of 400 draws estimates
        // the true SE to ≈ ±1/√(2·400)·(kurtosis factor) ≈ ±5–10%; 25% is a safe band
        double frob2 = a.mul(a).sumNumber().doubleValue();
        INDArray diag = Nd4j.diag(a);
        double diag2 = diag.mul(diag).sumNumber().doubleValue();
        double theory = Math.sqrt(2 * (frob2 - diag2) / m);
        assertEquals(theory, t.standardError(), 0.25 * theory);
        assertEquals(m, t.samples());
    }

    @Test
    void sameSeedSameEstimateAndSuccessiveCallsDrawFreshVectors() {
        INDArray a = Matrices.withSpectrum(spectrum(), 21);
        Hutchinson h1 = new Hutchinson(10, 3);
        Hutchinson h2 = new Hutchinson(10, 3);
        double first = h1.estimate(new MatrixOperator(a)).mean();
        assertEquals(first, h2.estimate(new MatrixOperator(a)).mean(), 0.0);
        assertNotEquals(first, h1.estimate(new MatrixOperator(a)).mean());
    }

    @Test
    void oneSampleHasNoStandardError() {
        Hutchinson.TraceEstimate t = new Hutchinson(1, 1).estimate(new MatrixOperator(Matrices.withSpectrum(spectrum(), 2)));
        assertTrue(Double.isNaN(t.standardError()));
        assertThrows(IllegalArgumentException.class, () -> new Hutchinson(0, 1));
    }
}
