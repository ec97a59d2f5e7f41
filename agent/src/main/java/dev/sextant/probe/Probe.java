package dev.sextant.probe;

import java.util.List;
import java.util.Set;

/**
 * One geometric quantity (or one small family of them) measured at a training step.
 *
 * <p>A probe gets a read-only {@link StepView} and writes scalars to {@link Readings}. It must not
 * modify any array it is given; a probe that needs extra gradients asks
 * {@link StepView#model()}, which evaluates them on a copy. How often a probe runs is not its
 * concern: the schedule lives in {@link dev.sextant.schedule.ProbeRunner}.
 */
public interface Probe {

    /** Short stable name, used as the {@code probe} label and the event-log key, e.g. {@code weights}. */
    String name();

    /** Every metric this probe may write. */
    List<MetricSpec> metrics();

    /** What the integration must capture for this probe at a step where it is due. */
    default Set<Need> needs() {
        return Set.of();
    }

    /**
     * Measures the step. Throwing is allowed: the runner logs, counts and backs off, and
     * training goes on.
     */
    void sample(StepView step, Readings out) throws Exception;
}
