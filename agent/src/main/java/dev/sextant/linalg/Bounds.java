package dev.sextant.linalg;

/**
 * Checks of configuration values whose error message names the setting, the rejected value and
 * the allowed range, so that a wrong value is fixed from the message alone.
 */
public final class Bounds {
    private Bounds() {
    }

    /** Returns {@code value} when {@code min <= value <= max}. */
    public static int inRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " = " + value + " is outside the allowed range ["
                    + min + ", " + max + "]");
        }
        return value;
    }

    /** Returns {@code value} when it is finite and {@code min < value < max} (open interval). */
    public static double inOpenRange(String field, double value, double min, double max) {
        if (!(value > min && value < max) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(field + " = " + value + " is outside the allowed range ("
                    + min + ", " + max + ") (finite, bounds excluded)");
        }
        return value;
    }
}
