package dev.sextant.probe;

/** What the integration must capture during a step for a probe that is due at that step. */
public enum Need {
    /** The raw mini-batch gradient before the updater touches it ({@link StepView#rawGradient()}). */
    RAW_GRADIENT,
    /** The update applied at the previous step ({@link StepView#previousUpdate()}). */
    PREVIOUS_UPDATE
}
