package dev.sextant.probe.noise;

import dev.sextant.validation.NoiseGradientTestsCase;
import dev.sextant.validation.NoiseScaleCase;
import dev.sextant.validation.ValidationCase;
import dev.sextant.validation.ValidationResult;
import dev.sextant.validation.ValidationSuite;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gradient-noise validation cases pass, and their tolerances are justified by their error models. */
class NoiseValidationCasesTest {

    /**
     * B_simple, tr(Σ) and |G|² of a gradient oracle with known covariance, within 10% after 640
     * batches (each result's "why" states its standard error).
     */
    @Test
    void noiseScaleMatchesTheOracleWithinTenPercent() {
        List<ValidationResult> results = new NoiseScaleCase().run();
        assertEquals(5, results.size());
        assertAllPass(results);
    }

    /**
     * 10% must be at least 4 standard errors of every estimate (a chance failure below 1e-4 per
     * result); fewer samples or a noisier design would make the case flaky, and this fails first.
     */
    @Test
    void tenPercentIsAtLeastFourStandardErrors() {
        for (double se : new NoiseScaleCase().relativeStandardErrors()) {
            assertTrue(0.10 >= 4 * se, "relative standard error " + se);
        }
    }

    /** The tests, SNR, cosine and raw A.1 estimates equal a direct computation to 1e-9 (deterministic). */
    @Test
    void gradientTestsMatchTheDirectComputation() {
        List<ValidationResult> results = new NoiseGradientTestsCase().run();
        assertFalse(results.isEmpty());
        assertAllPass(results);
    }

    @Test
    void bothCasesAreInTheSuite() {
        List<ValidationCase> cases = ValidationSuite.cases();
        assertTrue(cases.stream().anyMatch(c -> c instanceof NoiseScaleCase));
        assertTrue(cases.stream().anyMatch(c -> c instanceof NoiseGradientTestsCase));
    }

    private static void assertAllPass(List<ValidationResult> results) {
        for (ValidationResult r : results) {
            assertTrue(r.passed(), r.quantity() + ": exact " + r.exact() + ", estimate " + r.estimate()
                    + ", relative error " + r.relativeError() + " > " + r.tolerance() + " (" + r.why() + ")");
        }
    }
}
