package dev.sextant.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The targets are judged on amortised ratios to no listener and on the memory allowance. */
class TargetCheckTest {

    private static VariantResult result(Variant v, double medianMs, double amortisedMs, double listenerMs,
                                        long sextantBytes) {
        return new VariantResult(v, null, 100, medianMs, amortisedMs, listenerMs, new double[] {amortisedMs},
                MemoryMeter.Reading.ZERO, sextantBytes, sextantBytes, Map.of(), Double.NaN, Map.of());
    }

    private static WorkloadResult workload(List<VariantResult> variants) {
        // 1000 parameters, batch 2 of 784 + 10 columns
        return new WorkloadResult(Workload.MLP, 1000, "test", 2, 784, 10, variants, List.of(), Map.of(), List.of(),
                null, null);
    }

    @Test
    void memoryAllowanceIsFourFloat64ParameterBuffersAndOneFloat64Batch() {
        // 4 · 8 · 1000 + 8 · 2 · (784 + 10) = 32,000 + 12,704
        assertEquals(44_704, workload(List.of()).memoryAllowanceBytes());
    }

    @Test
    void ratiosAreJudgedOnTheTimeInsideSextantAndShownBesideTheWallClock() {
        WorkloadResult w = workload(List.of(
                result(Variant.NONE, 4.0, 5.0, 0, -1),
                // 0.05 ms inside Sextant of 5.05 ms: 1 + 0.05/5.00 = 1.01 ≤ 1.02
                result(Variant.SEXTANT_DEFAULT, 4.0, 5.05, 0.05, 1000),
                // 1 ms inside Sextant of 6 ms: 1 + 1/5 = 1.2 > 1.05; 44,705 B is one byte over the allowance
                result(Variant.SEXTANT_FULL, 4.2, 6.0, 1.0, 44_705)));
        List<TargetCheck> checks = TargetCheck.evaluate(w);
        assertEquals("1.010× from time inside Sextant; wall clock: amortised 1.010× (rounds 1.01–1.01), median 1.000×",
                checks.get(0).figure());
        assertEquals(Boolean.TRUE, checks.get(0).met());
        assertEquals("1.200× from time inside Sextant; wall clock: amortised 1.200× (rounds 1.20–1.20), median 1.050×",
                checks.get(1).figure());
        assertEquals(Boolean.FALSE, checks.get(1).met());
        assertNull(checks.get(2).met(), "the governed variant did not run: not judged");
        assertNull(checks.get(3).met(), "no curvature checks: not judged");
        assertEquals(Boolean.FALSE, checks.get(4).met(), "one byte over the allowance");
    }
}
