package dev.sextant.validation;

import java.util.List;

/** A problem with a closed-form answer on which one or more probes are checked. */
public interface ValidationCase {

    /** Short description of the problem, e.g. "least squares, designed spectrum 10, 5, 2, ...". */
    String name();

    /** Runs the estimators on the problem (seeded: the same numbers every run) and compares. */
    List<ValidationResult> run();
}
