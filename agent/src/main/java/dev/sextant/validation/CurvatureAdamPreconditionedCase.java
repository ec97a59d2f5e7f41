package dev.sextant.validation;

import dev.sextant.probe.OptimizerState;
import dev.sextant.probe.Sample;
import dev.sextant.probe.curvature.CurvatureMetrics;
import dev.sextant.probe.curvature.PreconditionedSharpnessProbe;
import dev.sextant.probe.curvature.StabilityThreshold;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * The preconditioned sharpness on a diagonal quadratic {@code H = diag(h)} with an optimizer state
 * set by hand. {@code P^{-1/2} H P^{-1/2} = diag(h_i/P_i)}, so the exact value is
 * {@code max_i h_i/P_i}:
 * <ul>
 *   <li>Adam, state {@code [m | v]}, t = 10, ε = 1e-3: {@code P = (√v + ε)/√(1−β₂ᵗ)}, DL4J's exact
 *       denominator. ε is chosen large against √v so that the textbook {@code √v̂ + ε} would give
 *       another answer (250 instead of 99.8, at another coordinate), and v so that the largest
 *       h_i/P_i is not at the largest h_i;</li>
 *   <li>RMSProp, state {@code [s]}: {@code P = √s + ε}.</li>
 * </ul>
 */
public final class CurvatureAdamPreconditionedCase implements ValidationCase {
    private static final double[] H = {4, 2, 1, 0.5, 0.25, 3, 0.1, 1.5};
    private static final double[] V = {4e-2, 1e-6, 1e-4, 1e-8, 0, 2.5e-1, 1e-6, 1e-2};
    private static final double LR = 1e-3;
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-3;
    private static final long T = 10;

    @Override
    public String name() {
        return "diagonal quadratic d=8 with a hand-set Adam / RMSProp state: preconditioned sharpness max h_i/P_i";
    }

    @Override
    public List<ValidationResult> run() {
        int d = H.length;
        LeastSquaresModel model = CurvatureCaseModels.leastSquaresWithSpectrum(H, 2 * d, false, 8);
        INDArray w = Nd4j.createFromArray(new double[][]{{0.3, -0.2, 0.1, 0.5, -0.4, 0.2, 0.9, -0.6}});
        double biasCorrection = Math.sqrt(1 - Math.pow(BETA2, T));
        double exactAdam = 0;
        double exactRms = 0;
        double[] state = new double[2 * d];
        for (int i = 0; i < d; i++) {
            state[i] = 0.01 * (i + 1);                      // m: does not enter P
            state[d + i] = V[i];
            exactAdam = Math.max(exactAdam, H[i] / ((Math.sqrt(V[i]) + EPSILON) / biasCorrection));
            exactRms = Math.max(exactRms, H[i] / (Math.sqrt(V[i]) + EPSILON));
        }
        OptimizerState adam = new OptimizerState(OptimizerState.Kind.ADAM, LR, Double.NaN, BETA1, BETA2, EPSILON, T,
                Nd4j.createFromArray(new double[][]{state}));
        OptimizerState rms = new OptimizerState(OptimizerState.Kind.RMSPROP, LR, Double.NaN, Double.NaN, 0.95, EPSILON,
                T, Nd4j.createFromArray(new double[][]{V}));
        String why = "Lanczos on an 8-dimensional operator reaches the Krylov space's full dimension or its 1e-3 change "
                + "bound with the error far below 1e-4; finite differences on a quadratic are exact up to rounding";

        List<ValidationResult> results = new ArrayList<>();
        Sample a = CurvatureLeastSquaresCase.sample(PreconditionedSharpnessProbe.builder().build(),
                CaseSteps.curvature(w, model, adam));
        results.add(new ValidationResult("λmax(P^-1/2 H P^-1/2), Adam P = (√v+ε)/√(1−β2^t)", exactAdam,
                a.value(PreconditionedSharpnessProbe.PRECONDITIONED_SHARPNESS), 1e-4, why));
        results.add(new ValidationResult("Adam edge-of-stability ratio over (2+2β1)/((1−β1)η) = 38/η",
                exactAdam / StabilityThreshold.adam(LR, BETA1), a.value(CurvatureMetrics.EDGE_OF_STABILITY_RATIO),
                1e-4, "the preconditioned sharpness' tolerance; the threshold is exact"));
        Sample r = CurvatureLeastSquaresCase.sample(PreconditionedSharpnessProbe.builder().build(),
                CaseSteps.curvature(w, model, rms));
        results.add(new ValidationResult("λmax(P^-1/2 H P^-1/2), RMSProp P = √s+ε", exactRms,
                r.value(PreconditionedSharpnessProbe.PRECONDITIONED_SHARPNESS), 1e-4, why));
        return results;
    }
}
