package dev.sextant.report;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The summary of a hand-made run whose answers are known by inspection. Every expected value is a
 * logged value or an exact mean of two, so the comparisons are exact (tolerance 0).
 */
class RunSummaryTest {
    private static final Map<String, String> ALL = Map.of("layer", "all", "param", "all");

    private static LogEvent sample(long step, long time, double seconds, LoggedValue... values) {
        return new LogEvent(step + 1, "sample", "r", "mlp", step, 0, time, "p", List.of(values), null, seconds);
    }

    private static LoggedValue v(String metric, double value) {
        return new LoggedValue(metric, Map.of(), value);
    }

    private static LoggedValue v(String metric, String layer, String param, double value) {
        return new LoggedValue(metric, Map.of("layer", layer, "param", param), value);
    }

    private static List<LogEvent> run() {
        List<LogEvent> e = new ArrayList<>();
        // Ratio 0.5, 0.75, NaN, 0.6 at steps 0, 10, 20, 30: final is the NaN as logged, peak 0.75 at 10.
        double[] ratio = {0.5, 0.75, Double.NaN, 0.6};
        // Smoothed noise scale 40, 10, 30, 20: first 40, last 20, median (20+30)/2 = 25.
        double[] noise = {40, 10, 30, 20};
        for (int i = 0; i < 4; i++) {
            long step = 10L * i;
            e.add(sample(step, 1000 + 1000L * i, 0.01 * (i + 1),
                    v("sextant_sharpness", 10 * ratio[i]),
                    v("sextant_stability_threshold", 20),
                    v("sextant_edge_of_stability_ratio", ratio[i]),
                    new LoggedValue("sextant_gradient_noise_scale_smoothed_examples", ALL, noise[i]),
                    new LoggedValue("sextant_gradient_noise_scale_smoothed_examples",
                            Map.of("layer", "0", "param", "W"), 999),
                    v("sextant_weight_init_distance", "0", "W", new double[]{0, 3, 2, 2.5}[i]),
                    v("sextant_weight_init_distance", "all", "all", 100),
                    v("sextant_weight_norm", "0", "W", 5 + i),
                    v("sextant_update_ratio", "0", "W", new double[]{Double.NaN, 1e-3, 4e-3, 2e-3}[i])));
        }
        e.add(new LogEvent(5, "probe_failure", "r", "mlp", 20, -1, 3500, "sharpness", List.of(), "boom 1", 0.5));
        e.add(new LogEvent(6, "probe_failure", "r", "mlp", 40, -1, 3600, "sharpness", List.of(), "boom 2", Double.NaN));
        e.add(new LogEvent(7, "condition", "r", "mlp", 30, -1, 3700, "p", List.of(), "EDGE_OF_STABILITY", Double.NaN));
        e.add(new LogEvent(9, "interval", "r", "mlp", 10, -1, 2100, "sharpness", List.of(), "20", Double.NaN));
        e.add(new LogEvent(10, "interval", "r", "mlp", 30, -1, 3100, "sharpness", List.of(), "40", Double.NaN));
        e.add(new LogEvent(8, "sample", "other", "mlp", 99, 0, 9000, "p", List.of(v("sextant_sharpness", 1e9)), null,
                Double.NaN));
        return e;
    }

    private static Track track(List<Track> tracks, String metric) {
        return tracks.stream().filter(t -> t.metric().equals(metric)).findFirst().orElseThrow();
    }

    @Test
    void finalAndPeakOfTheEdgeOfStabilityRatio() {
        RunSummary s = RunSummary.of("r", run());
        Track ratio = track(s.curvature(), "sextant_edge_of_stability_ratio");
        assertEquals(4, ratio.count());
        assertEquals(1, ratio.nonFinite());
        assertEquals(new Track.Point(30, 0.6), ratio.last());
        assertEquals(new Track.Point(10, 0.75), ratio.peak(), "the NaN is not a peak");
        assertEquals(new Track.Point(10, 7.5), track(s.curvature(), "sextant_sharpness").peak(),
                "the other run's 1e9 is not this run's");
        assertEquals(0, track(s.curvature(), "sextant_preconditioned_sharpness").count());
    }

    @Test
    void noiseScaleOverTimeIsTheWholeModelsFirstLastAndMedian() {
        Track smoothed = track(RunSummary.of("r", run()).noise(), "sextant_gradient_noise_scale_smoothed_examples");
        assertEquals(4, smoothed.count(), "the per-layer series (999) is not the whole model's");
        assertEquals(40, smoothed.first().value(), 0.0);
        assertEquals(20, smoothed.last().value(), 0.0);
        assertEquals(25, smoothed.median(), 0.0);
    }

    @Test
    void largestDriftPerLayerLeavesOutTheWholeModel() {
        List<RunSummary.Drift> drift = RunSummary.of("r", run()).drift();
        assertEquals(1, drift.size(), drift.toString());
        RunSummary.Drift d = drift.get(0);
        assertEquals("0", d.layer());
        assertEquals(new Track.Point(10, 3), d.largestDistance());
        assertEquals(8, d.lastNorm(), 0.0);
        assertEquals(new Track.Point(20, 4e-3), d.largestUpdateRatio());
    }

    @Test
    void conditionsFailuresAndOverhead() {
        RunSummary s = RunSummary.of("r", run());
        assertEquals(0, s.firstStep());
        assertEquals(40, s.lastStep());
        assertEquals(4, s.samples());
        assertEquals(List.of("EDGE_OF_STABILITY"), s.conditions().stream().map(LogEvent::text).toList());
        assertEquals(List.of(new RunSummary.Failures("sharpness", 2, 20, 40, "boom 1")), s.failures());
        assertEquals(List.of(new RunSummary.Intervals("sharpness", 2, 30, "40")), s.intervals());
        // Durations 0.01..0.04 of probe p: median (0.02+0.03)/2, total 0.1; sharpness' one failed call 0.5.
        RunSummary.Overhead p = s.overhead().get(0);
        assertEquals("p", p.probe());
        assertEquals(4, p.calls());
        assertEquals((0.02 + 0.03) / 2, p.median(), 0.0);
        assertEquals(0.04, p.max(), 0.0);
        assertEquals(0.01 + 0.02 + 0.03 + 0.04, p.total(), 1e-15, "summed in log order; 1e-15 covers the rounding");
        // 0.6 s of probes over the 3 s between the earliest line (1000 ms) and the latest (the step-30
        // sample, 4000 ms), which is not the last line of the file (an interval change at 3100 ms is).
        // 1e-12: the sums above are exact to a few ulp.
        assertEquals(1000, s.firstTime());
        assertEquals(4000, s.lastTime());
        assertEquals(0.6 / 3.0, s.overheadShareOfWallTime(), 1e-12);
    }

    @Test
    void aTrackWithNoFiniteValueHasNoPeakAndNoMedian() {
        Track t = Track.of("x", "m", List.of(new Track.Point(0, Double.NaN)));
        assertNull(t.peak());
        assertTrue(Double.isNaN(t.median()));
        assertEquals(1, t.nonFinite());
        assertEquals(3.0, Track.median(new double[]{5, 1, 3}), 0.0, "odd count: the middle value");
    }
}
