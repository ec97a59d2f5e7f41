package dev.sextant.alert;

import dev.sextant.probe.Reading;
import dev.sextant.probe.Sample;

/** A named state of training that a user can act on, judged from one sample. */
public enum Condition {
    /** A parameter, raw-gradient value or the loss is NaN or infinite. */
    NON_FINITE {
        @Override
        boolean holds(Sample sample) {
            for (Reading r : sample.readings()) {
                String name = r.metric().name();
                if (name.endsWith("_nonfinite_values") && r.value() != 0) {
                    return true;
                }
                if (name.equals("sextant_loss") && !Double.isFinite(r.value())) {
                    return true;
                }
            }
            return false;
        }
    },
    /**
     * The sharpness is above the optimizer's stability threshold
     * ({@code sextant_edge_of_stability_ratio > 1}) on two consecutive samples: one sample alone
     * can be a transient, e.g. Adam's preconditioner estimated from a single gradient at step 0.
     */
    EDGE_OF_STABILITY {
        @Override
        boolean holds(Sample sample) {
            for (Reading r : sample.readings()) {
                if (r.metric().prometheusName().equals("sextant_edge_of_stability_ratio") && r.value() > 1) {
                    return true;
                }
            }
            return false;
        }
    };

    /** Whether the sample shows the condition. */
    abstract boolean holds(Sample sample);

    /** How many consecutive samples must show it before it counts as holding. */
    int consecutiveSamples() {
        return this == EDGE_OF_STABILITY ? 2 : 1;
    }

    /** Whether the sample carries the metrics this condition is judged from (else it is left undecided). */
    boolean judges(Sample sample) {
        for (Reading r : sample.readings()) {
            String name = r.metric().name();
            boolean relevant = this == NON_FINITE
                    ? name.endsWith("_nonfinite_values") || name.equals("sextant_loss")
                    : r.metric().prometheusName().equals("sextant_edge_of_stability_ratio");
            if (relevant) {
                return true;
            }
        }
        return false;
    }
}
