package dev.sextant.validation;

import java.util.List;

/**
 * Every closed-form case, run by the tests and by the demo's {@code validate} command: a user's
 * proof that this installation computes true numbers.
 */
public final class ValidationSuite {
    private ValidationSuite() {
    }

    public static List<ValidationCase> cases() {
        return List.of(
                new CurvatureLeastSquaresCase(),
                new CurvatureAdamPreconditionedCase(),
                new NoiseScaleCase(),
                new NoiseGradientTestsCase()
        );
    }
}
