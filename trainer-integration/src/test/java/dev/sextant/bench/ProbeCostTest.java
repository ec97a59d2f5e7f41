package dev.sextant.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-probe cost from exact per-call timings, in training-step equivalents. */
class ProbeCostTest {

    @Test
    void costPerCallIntervalAndShareComeFromTheRecordedCalls() {
        ProbeTimings t = new ProbeTimings();
        t.probeTimed("sharpness", 0, 9.000);      // during warm-up: not counted
        t.probeTimed("sharpness", 500, 0.200);
        t.probeTimed("weights", 500, 0.001);
        t.probeTimed("sharpness", 1000, 0.300);
        t.probeTimed("sharpness", 1500, 0.250);
        List<ProbeCost> costs = ProbeCost.of(t, 100);
        assertEquals(2, costs.size());
        ProbeCost s = costs.get(0);
        assertEquals("sharpness", s.probe());
        assertEquals(3, s.calls());
        assertEquals(500, s.interval());
        // median of 200, 300, 250 ms is 250 ms; at a 5 ms step that is 50 step-equivalents.
        // Tolerance 1e-9: the seconds-to-milliseconds product rounds in the last bits.
        assertEquals(250.0, s.medianMs(), 1e-9);
        assertEquals(50.0, s.stepEquivalents(5.0), 1e-9);
        // mean 250 ms over 500 steps of 5 ms: 250 / 2500 = 10% of training time
        assertEquals(0.10, s.overheadShare(5.0), 1e-12);
        ProbeCost w = costs.get(1);
        assertEquals(1, w.calls());
        assertEquals(0, w.interval(), "one call: no interval");
        assertTrue(Double.isNaN(w.overheadShare(5.0)), "no interval, no share");
    }

    @Test
    void theGovernorsIntervalsAndTheFirstFailureOfEachProbeAreKept() {
        ProbeTimings t = new ProbeTimings();
        t.intervalChanged("sharpness", 10, 1000);
        t.intervalChanged("sharpness", 20, 2000);
        t.probeFailed("trace", 5, new IllegalStateException("first"));
        t.probeFailed("trace", 9, new IllegalStateException("second"));
        assertEquals(2000, t.governedIntervals().get("sharpness"));
        assertEquals("step 5: java.lang.IllegalStateException: first", t.failures().get("trace"));
    }
}
