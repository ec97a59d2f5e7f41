package dev.sextant.validation;

/**
 * One estimated quantity against its exact value.
 *
 * @param quantity  what was estimated, e.g. {@code "λ1 (Lanczos, float64)"}
 * @param exact     the closed-form value
 * @param estimate  what Sextant computed
 * @param tolerance allowed relative error |estimate − exact| / |exact|
 * @param why       why that tolerance (the estimator's error model)
 */
public record ValidationResult(String quantity, double exact, double estimate, double tolerance, String why) {

    /** |estimate − exact| / |exact| (absolute error when exact is 0). */
    public double relativeError() {
        double d = Math.abs(estimate - exact);
        return exact == 0 ? d : d / Math.abs(exact);
    }

    public boolean passed() {
        return relativeError() <= tolerance;
    }
}
