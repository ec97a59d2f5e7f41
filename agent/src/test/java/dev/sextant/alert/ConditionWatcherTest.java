package dev.sextant.alert;

import dev.sextant.probe.MetricSpec;
import dev.sextant.probe.Reading;
import dev.sextant.probe.Sample;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConditionWatcherTest {
    static final MetricSpec RATIO = MetricSpec.global("sextant_edge_of_stability_ratio", null, "ratio");
    static final MetricSpec NONFINITE = MetricSpec.perParameter("sextant_weight_nonfinite_values", null, "count");
    static final MetricSpec LOSS = MetricSpec.global("sextant_loss", null, "loss");
    static final MetricSpec OTHER = MetricSpec.global("sextant_other", null, "other");

    private static Sample ratio(long step, double r) {
        return new Sample("sharpness", step, 0, 0, List.of(new Reading(RATIO, List.of(), r)));
    }

    @Test
    void actionRunsWhenTheConditionStartsAndAgainOnlyAfterItCleared() {
        List<Long> steps = new ArrayList<>();
        List<ConditionEvent> told = new ArrayList<>();
        ConditionWatcher w = new ConditionWatcher(told::add);
        w.add(Condition.EDGE_OF_STABILITY, e -> steps.add(e.step()));
        // a single sample above 1 (step 1) is a transient; steps 3-4 and 6-7 are sustained crossings
        double[] ratios = {0.5, 1.4, 0.9, 1.2, 1.5, 0.8, 1.1, 1.3};
        for (int i = 0; i < ratios.length; i++) {
            w.accept(ratio(i, ratios[i]));
            // samples of other probes say nothing about the condition and must not reset it
            w.accept(new Sample("other", i, 0, 0, List.of(new Reading(OTHER, List.of(), 0))));
        }
        assertEquals(List.of(4L, 7L), steps);
        assertEquals(2, told.size());
    }

    @Test
    void nonFiniteWeightsOrLossTrigger() {
        List<Condition> seen = new ArrayList<>();
        ConditionWatcher w = new ConditionWatcher(e -> { });
        w.add(Condition.NON_FINITE, e -> seen.add(e.condition()));
        w.accept(new Sample("weights", 0, 0, 0, List.of(new Reading(NONFINITE, List.of("0", "W"), 0))));
        w.accept(new Sample("weights", 1, 0, 0, List.of(new Reading(NONFINITE, List.of("0", "W"), 3))));
        assertEquals(1, seen.size());
        ConditionWatcher w2 = new ConditionWatcher(e -> { });
        w2.add(Condition.NON_FINITE, e -> seen.add(e.condition()));
        w2.accept(new Sample("progress", 0, 0, 0, List.of(new Reading(LOSS, List.of(), Double.NaN))));
        assertEquals(2, seen.size());
    }

    @Test
    void aThrowingActionIsContainedAndCountedAndOthersStillRun() {
        List<Long> ran = new ArrayList<>();
        ConditionWatcher w = new ConditionWatcher(e -> { });
        w.add(Condition.EDGE_OF_STABILITY, e -> {
            throw new IllegalStateException("user bug");
        });
        w.add(Condition.EDGE_OF_STABILITY, e -> ran.add(e.step()));
        w.accept(ratio(0, 2));
        w.accept(ratio(1, 2));
        w.accept(ratio(2, 0));
        w.accept(ratio(3, 2));
        w.accept(ratio(4, 2));
        assertEquals(List.of(1L, 4L), ran);
        assertEquals(2, w.actionFailures());
    }
}
