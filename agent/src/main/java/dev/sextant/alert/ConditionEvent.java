package dev.sextant.alert;

import dev.sextant.probe.Sample;

/**
 * A condition that has just started to hold.
 *
 * @param condition which one
 * @param step      training step of the sample that showed it
 * @param sample    that sample
 */
public record ConditionEvent(Condition condition, long step, Sample sample) {
}
