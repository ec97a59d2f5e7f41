package dev.sextant.alert;

/**
 * The user's reaction to a condition (stop training, save a checkpoint, lower the learning rate).
 * Runs on the training thread, between steps; whatever it throws is logged and contained.
 */
@FunctionalInterface
public interface ConditionAction {
    void on(ConditionEvent event) throws Exception;
}
