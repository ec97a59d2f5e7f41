package dev.sextant.linalg;

import dev.sextant.probe.BatchOracle;
import dev.sextant.validation.LeastSquaresModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HessianVectorProductTest {

    private static double relativeError(INDArray estimate, INDArray exact) {
        return estimate.sub(exact).norm2Number().doubleValue() / exact.norm2Number().doubleValue();
    }

    private static INDArray times(INDArray h, INDArray v) {
        return h.mmul(v.reshape(v.length(), 1)).reshape(v.shape());
    }

    @Test
    void quadraticLossGivesTheExactHessianUpToRounding() {
        // least squares: H = (2/n) XᵀX exactly, the third derivative is 0, so the central difference
        // has no truncation error; what is left is rounding, u·‖∇L‖/(ε‖Hv‖) ≈ 1e-16/1e-5 ≈ 1e-11
        Nd4j.getRandom().setSeed(1);
        LeastSquaresModel model = new LeastSquaresModel(Nd4j.randn(DataType.DOUBLE, 40, 12),
                Nd4j.randn(DataType.DOUBLE, 40));
        GradientOracle oracle = new BatchOracle(model, 12, 0, 40);
        INDArray w = Nd4j.randn(DataType.DOUBLE, 1, 12);
        INDArray before = w.dup();
        HessianVectorProduct hvp = new HessianVectorProduct();
        hvp.setPoint(oracle, w);
        INDArray h = model.hessian(0, 40);
        for (int k = 0; k < 5; k++) {
            INDArray v = Nd4j.randn(DataType.DOUBLE, 1, 12);
            INDArray out = Nd4j.create(DataType.DOUBLE, 1, 12);
            HessianVectorProduct.Product p = hvp.product(v, out);
            assertTrue(relativeError(out, times(h, v)) < 1e-8, "error " + relativeError(out, times(h, v)));
            assertEquals(0, p.retries());
        }
        assertEquals(before, w, "the point is read, never written");
        assertEquals(5, hvp.productCount());
        assertEquals(1 + 2 * 5, hvp.gradientEvaluations(), "∇L(w) once per point, then two per product");
    }

    @Test
    void defaultStepIsNearTheOptimumOnASmoothNonQuadraticLoss() {
        // logistic regression: truncation error O(ε²) dominates at large steps, rounding O(u/ε) at
        // small ones. Measured (seed 7/11, 10 random v): s = 1e-2 → 1.7e-4, 1e-3 → 2.7e-6,
        // 1e-4 → 1.5e-8, default u^{1/3} = 4.8e-6 → 6.5e-11, 1e-8 → 1.9e-8, 1e-9 → 1.8e-7.
        LogisticRegressionOracle oracle = new LogisticRegressionOracle(200, 30, 7);
        Nd4j.getRandom().setSeed(11);
        INDArray w = Nd4j.randn(DataType.DOUBLE, 30).muli(0.5);
        INDArray h = oracle.hessian(w);
        double atDefault = worstError(oracle, w, h, HessianVectorProduct.Settings.defaults());
        double large = worstError(oracle, w, h, HessianVectorProduct.Settings.defaults().withRelativeStep(1e-3));
        double small = worstError(oracle, w, h, HessianVectorProduct.Settings.defaults().withRelativeStep(1e-8));
        // 1e-9: fifteen times the measured 6.5e-11, room for another BLAS summation order
        assertTrue(atDefault < 1e-9, "default step error " + atDefault);
        assertTrue(atDefault < large / 100 && atDefault < small / 100,
                "default " + atDefault + " vs 1e-3: " + large + ", 1e-8: " + small);
    }

    private static double worstError(GradientOracle oracle, INDArray w, INDArray h, HessianVectorProduct.Settings s) {
        HessianVectorProduct hvp = new HessianVectorProduct(s.withMaxRetries(0));
        hvp.setPoint(oracle, w);
        Nd4j.getRandom().setSeed(12);
        double worst = 0;
        for (int k = 0; k < 10; k++) {
            INDArray v = Nd4j.randn(DataType.DOUBLE, 30);
            INDArray out = Nd4j.create(DataType.DOUBLE, 30);
            hvp.product(v, out);
            worst = Math.max(worst, relativeError(out, times(h, v)));
        }
        return worst;
    }

    @Test
    void kinkGuardShrinksTheStepBelowACurvatureJumpAndRecoversTheSmoothSide() {
        // w₀ sits 0.3·ε below the kink: w + εe₀ crosses it, where the curvature along e₀ jumps
        // from b = 1 to a + b = 101. The unguarded central difference returns
        // b + a(ε − δ)/(2ε) = 1 + 100·0.7/2 = 36; one retry at ε/10 < δ stays on the smooth side.
        assertGuardRecoversSmoothSide(KinkedOracle.Kind.CURVATURE_STEP, 36.0);
    }

    @Test
    void kinkGuardShrinksTheStepBelowAGradientJump() {
        // a ReLU unit flipping inside the step: the gradient jumps by a = 100, and the unguarded
        // central difference returns b + a/(2ε), enormous for ε ≈ 1e-5
        assertGuardRecoversSmoothSide(KinkedOracle.Kind.GRADIENT_JUMP, Double.NaN);
    }

    private static void assertGuardRecoversSmoothSide(KinkedOracle.Kind kind, double unguardedExpected) {
        int d = 4;
        KinkedOracle oracle = new KinkedOracle(kind, d, 100, 1, 0);
        INDArray w = Nd4j.createFromArray(0.0, 0.5, -0.25, 1.0);
        double eps = HessianVectorProduct.Settings.defaults().relativeStep(DataType.DOUBLE)
                * (1 + w.norm2Number().doubleValue());   // ε for a unit v, before w₀ is moved
        w.putScalar(0, -0.3 * eps);
        eps = HessianVectorProduct.Settings.defaults().relativeStep(DataType.DOUBLE) * (1 + w.norm2Number().doubleValue());
        INDArray v = Nd4j.createFromArray(1.0, 0.0, 0.0, 0.0);
        INDArray smooth = v.mul(1.0);   // H = b·I on the side of w

        HessianVectorProduct unguarded = new HessianVectorProduct(HessianVectorProduct.Settings.defaults().withMaxRetries(0));
        unguarded.setPoint(oracle, w);
        INDArray naive = Nd4j.create(DataType.DOUBLE, d);
        HessianVectorProduct.Product p0 = unguarded.product(v, naive);
        assertTrue(p0.disagreement() > HessianVectorProduct.DEFAULT_KINK_TOLERANCE,
                "the crossing shows as disagreement " + p0.disagreement());
        if (!Double.isNaN(unguardedExpected)) {
            // exact up to rounding of the differences, ~u/ε ≈ 1e-10
            assertEquals(unguardedExpected, naive.getDouble(0), 1e-6);
        } else {
            assertTrue(naive.getDouble(0) > 1e5, "unguarded " + naive.getDouble(0));
        }

        HessianVectorProduct guarded = new HessianVectorProduct();
        guarded.setPoint(oracle, w);
        INDArray out = Nd4j.create(DataType.DOUBLE, d);
        HessianVectorProduct.Product p = guarded.product(v, out);
        assertEquals(1, p.retries(), "ε/10 = 0.1ε < 0.3ε is enough");
        assertEquals(eps / 10, p.epsilon(), eps * 1e-12);
        assertTrue(p.disagreement() <= HessianVectorProduct.DEFAULT_KINK_TOLERANCE);
        // smooth side: exact b·v up to rounding at ε/10 (~1e-9)
        assertTrue(relativeError(out, smooth) < 1e-7, "guarded error " + relativeError(out, smooth));
        assertEquals(1, guarded.retryCount());
        assertEquals(1 + 4, guarded.gradientEvaluations(), "a retry costs two more gradients");
    }

    @Test
    void nullSpaceDirectionsDoNotTriggerRetries() {
        // rank-deficient least squares (8 rows, 12 parameters): Hv = 0 for v in the null space of X;
        // both one-sided differences are rounding noise, which the floor 1000·u·‖∇L‖/ε absorbs
        Nd4j.getRandom().setSeed(3);
        LeastSquaresModel model = new LeastSquaresModel(Nd4j.randn(DataType.DOUBLE, 8, 12), Nd4j.randn(DataType.DOUBLE, 8));
        HessianVectorProduct hvp = new HessianVectorProduct();
        hvp.setPoint(new BatchOracle(model, 12, 0, 8), Nd4j.randn(DataType.DOUBLE, 12));
        INDArray x = model.x();
        // a null-space vector: v − X⁺Xv through the exact least-squares projection
        INDArray v = Nd4j.randn(DataType.DOUBLE, 12, 1);
        INDArray xxt = x.mmul(x.transpose());
        INDArray coeff = org.nd4j.linalg.inverse.InvertMatrix.invert(xxt, false).mmul(x.mmul(v));
        v.subi(x.transpose().mmul(coeff));
        INDArray out = Nd4j.create(DataType.DOUBLE, 12);
        HessianVectorProduct.Product p = hvp.product(v.reshape(12), out);
        assertEquals(0, p.retries(), "disagreement " + p.disagreement());
        assertTrue(out.norm2Number().doubleValue() < 1e-8 * model.hessian(0, 8).norm2Number().doubleValue());
    }

    @Test
    void zeroVectorGivesZeroWithoutGradients() {
        HessianVectorProduct hvp = new HessianVectorProduct();
        hvp.setPoint(new KinkedOracle(KinkedOracle.Kind.CURVATURE_STEP, 3, 1, 1, 0), Nd4j.createFromArray(1.0, 2.0, 3.0));
        INDArray out = Nd4j.createFromArray(5.0, 5.0, 5.0);
        hvp.product(Nd4j.zeros(DataType.DOUBLE, 3), out);
        assertEquals(0.0, out.norm2Number().doubleValue());
        assertEquals(1, hvp.gradientEvaluations());
    }

    @Test
    void buffersAreReusedAcrossPoints() {
        HessianVectorProduct hvp = new HessianVectorProduct();
        KinkedOracle oracle = new KinkedOracle(KinkedOracle.Kind.CURVATURE_STEP, 3, 1, 1, 10);
        hvp.setPoint(oracle, Nd4j.createFromArray(1.0, 2.0, 3.0));
        INDArray first = hvp.gradientAtPoint();
        hvp.setPoint(oracle, Nd4j.createFromArray(3.0, 2.0, 1.0));
        assertSame(first, hvp.gradientAtPoint());
        assertEquals(Nd4j.createFromArray(3.0, 2.0, 1.0), hvp.gradientAtPoint(), "∇(½‖w‖²) = w");
    }

    @Test
    void settingsNameTheFieldAndTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HessianVectorProduct.Settings.defaults().withRelativeStep(2));
        assertEquals("relativeStep = 2.0 is outside the allowed range (0.0, 1.0) (finite, bounds excluded)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> HessianVectorProduct.Settings.defaults().withMaxRetries(-1));
        assertEquals("maxRetries = -1 is outside the allowed range [0, 10]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> HessianVectorProduct.Settings.defaults().withKinkTolerance(0));
        assertTrue(e.getMessage().startsWith("kinkTolerance = 0.0"), e.getMessage());
    }
}
