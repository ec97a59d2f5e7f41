package dev.sextant.demo;

import dev.sextant.probe.MetricSpec;
import dev.sextant.probe.Reading;
import dev.sextant.probe.Sample;
import dev.sextant.probe.curvature.CurvatureMetrics;
import dev.sextant.probe.curvature.SharpnessProbe;
import dev.sextant.probe.drift.WeightGeometryProbe;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console digest: whole-model scalars, newest value per metric, grouped by step, wrapped. */
class ProbeDigestTest {
    private static final MetricSpec NORM = WeightGeometryProbe.WEIGHT_NORM;
    private static final MetricSpec RATIO = WeightGeometryProbe.UPDATE_RATIO;
    private static final MetricSpec NONFINITE = WeightGeometryProbe.WEIGHT_NONFINITE;
    private static final MetricSpec UNKNOWN_RANKED = MetricSpec.labelled("sextant_new_eigen", null, "e", "rank");
    private static final MetricSpec UNKNOWN_GLOBAL = MetricSpec.global("sextant_new_scalar", null, "s");

    private static Sample sample(String probe, long step, Reading... readings) {
        return new Sample(probe, step, 0, 0L, List.of(readings));
    }

    private static Reading r(MetricSpec m, double v, String... labels) {
        return new Reading(m, List.of(labels), v);
    }

    private static List<String> digest(Sample... samples) {
        ProbeDigest d = new ProbeDigest(Set.of("progress"));
        for (Sample s : samples) {
            d.accept(s);
        }
        return d.drain();
    }

    @Test
    void showsTheWholeModelValuesUnderShortNamesAndLeavesPerLayerValuesOut() {
        List<String> lines = digest(sample("weights", 40,
                r(RATIO, 0.0012342, "all", "all"), r(NORM, 3.0, "0", "W"), r(NORM, 25.3125, "all", "all"),
                r(NONFINITE, 0, "all", "all")));

        // Known metrics print in the digest's order (|w| before |dw|/|w|), whatever the sample's order.
        assertEquals(List.of("@40  |w| 25.31  |dw|/|w| 0.001234"), lines);
    }

    @Test
    void diagnosticsAreHiddenNonFiniteCountsAndNaNAreShown() {
        List<String> lines = digest(sample("sharpness", 7,
                r(SharpnessProbe.SHARPNESS, Double.NaN), r(SharpnessProbe.EIGENVALUE, 41.5, "1"),
                r(SharpnessProbe.HVP_COUNT, 9), r(CurvatureMetrics.EDGE_OF_STABILITY_RATIO, 0.5),
                r(NONFINITE, 12, "all", "all")));

        assertEquals(List.of("@7  nonfinite_w 12  sharpness NaN  eos_ratio 0.5"), lines);
    }

    @Test
    void unknownMetricsPrintUnderTheirOwnNameWithTheirFirstLabelledValue() {
        List<String> lines = digest(sample("future", 3,
                r(UNKNOWN_RANKED, 41.5, "1"), r(UNKNOWN_RANKED, 12.0, "2"), r(UNKNOWN_GLOBAL, 2.5e-7)));

        assertEquals(List.of("@3  new_eigen[1] 41.5  new_scalar 2.500e-07"), lines);
    }

    @Test
    void keepsTheNewestValueOfEachMetricGroupsByStepAndSkipsNamedProbes() {
        List<String> lines = digest(
                sample("weights", 10, r(NORM, 1, "all", "all")),
                sample("sharpness", 10, r(SharpnessProbe.SHARPNESS, 40)),
                sample("progress", 10, r(UNKNOWN_GLOBAL, 1)),
                sample("weights", 20, r(NORM, 3, "all", "all")));

        assertEquals(List.of("@10  sharpness 40", "@20  |w| 3"), lines);
    }

    @Test
    void drainingClearsAndFailuresFollowTheValues() {
        ProbeDigest d = new ProbeDigest(Set.of());
        d.accept(sample("weights", 5, r(NORM, 2, "all", "all")));
        d.probeFailed("sharpness", 5, new IllegalStateException("kink"));

        assertEquals(List.of("@5  |w| 2", "sharpness@5 FAILED: java.lang.IllegalStateException: kink"), d.drain());
        assertEquals(List.of(), d.drain());
    }

    @Test
    void longLinesWrapBelowTheWidthWithAlignedContinuations() {
        Reading[] many = new Reading[12];
        for (int i = 0; i < many.length; i++) {
            many[i] = r(MetricSpec.global("sextant_quantity_number_" + i, null, "q"), 1000 + i);
        }

        List<String> lines = digest(sample("wide", 123, many));

        assertTrue(lines.size() > 1, lines.toString());
        for (String line : lines) {
            assertTrue(line.length() <= ProbeDigest.WIDTH, line);
        }
        assertTrue(lines.get(1).startsWith("      quantity_number_"), lines.get(1));
        assertEquals(12, String.join("", lines).split("quantity_number_").length - 1);
    }

    @Test
    void numbersKeepFourSignificantDigits() {
        assertEquals("0", ProbeDigest.number(0));
        assertEquals("1.5", ProbeDigest.number(1.5));
        assertEquals("-0.01235", ProbeDigest.number(-0.012346));
        assertEquals("1.235e+04", ProbeDigest.number(12345));
        assertEquals("1.000e+06", ProbeDigest.number(1e6));
        assertEquals("Infinity", ProbeDigest.number(Double.POSITIVE_INFINITY));
    }
}
