package dev.sextant.probe.curvature;

import dev.sextant.validation.CurvatureAdamPreconditionedCase;
import dev.sextant.validation.CurvatureLeastSquaresCase;
import dev.sextant.validation.ValidationCase;
import dev.sextant.validation.ValidationResult;
import dev.sextant.validation.ValidationSuite;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The curvature cases of the validation suite pass, each quantity within its stated tolerance. */
class CurvatureValidationCasesTest {

    private static void assertPasses(ValidationCase c, int quantities) {
        List<ValidationResult> results = c.run();
        assertEquals(quantities, results.size());
        for (ValidationResult r : results) {
            assertTrue(r.passed(), c.name() + ": " + r.quantity() + " exact " + r.exact() + " estimate "
                    + r.estimate() + " relative error " + r.relativeError() + " > " + r.tolerance() + " (" + r.why() + ")");
        }
    }

    @Test
    void leastSquaresWithADesignedSpectrum() {
        assertPasses(new CurvatureLeastSquaresCase(), 7);
    }

    @Test
    void preconditionedSharpnessWithAHandSetOptimizerState() {
        assertPasses(new CurvatureAdamPreconditionedCase(), 3);
    }

    @Test
    void bothCasesAreInTheSuite() {
        List<ValidationCase> cases = ValidationSuite.cases();
        assertTrue(cases.stream().anyMatch(c -> c instanceof CurvatureLeastSquaresCase));
        assertTrue(cases.stream().anyMatch(c -> c instanceof CurvatureAdamPreconditionedCase));
    }
}
