package dev.sextant.bench;

import java.util.Map;

/**
 * What one variant measured on one workload.
 *
 * @param variant       the variant
 * @param unavailable   why it did not run in this build, or {@code null} when it ran
 * @param steps         timed steps
 * @param medianMs      median step time, milliseconds
 * @param amortisedMs   total time of the timed steps over their number: the rare expensive probe calls count
 * @param roundMeanMs   mean step time of each round's block
 * @param maxAfterBlock JVM-wide settled memory readings, field-wise maximum over this variant's blocks
 * @param retained      memory retained by this variant's network, listeners and training state
 * @param overheadRatio last value of Sextant's {@code sextant_overhead_ratio} gauge, NaN when absent
 * @param intervals     the last interval the overhead governor set per probe it stretched (empty otherwise)
 */
public record VariantResult(Variant variant, String unavailable, int steps, double medianMs, double amortisedMs,
                            double[] roundMeanMs, MemoryMeter.Reading maxAfterBlock, MemoryMeter.Reading retained,
                            double overheadRatio, Map<String, Integer> intervals) {

    /** A variant that could not run, and why. */
    public static VariantResult unavailable(Variant variant, String why) {
        return new VariantResult(variant, why, 0, Double.NaN, Double.NaN, new double[0], MemoryMeter.Reading.ZERO,
                MemoryMeter.Reading.ZERO, Double.NaN, Map.of());
    }

    public boolean ran() {
        return unavailable == null;
    }

    /**
     * Resident memory retained: native buffers and whatever Java heap the JVM committed for this
     * variant (the heap's own share is {@code retained().heapBytes()}).
     */
    public long retainedBytes() {
        return retained.physicalBytes();
    }

    /** Smallest and largest ratio of this variant's round means to {@code baseline}'s, round by round. */
    public double[] roundRatioRange(VariantResult baseline) {
        double lo = Double.NaN;
        double hi = Double.NaN;
        int n = Math.min(roundMeanMs.length, baseline.roundMeanMs.length);
        for (int r = 0; r < n; r++) {
            double q = roundMeanMs[r] / baseline.roundMeanMs[r];
            lo = Double.isNaN(lo) ? q : Math.min(lo, q);
            hi = Double.isNaN(hi) ? q : Math.max(hi, q);
        }
        return new double[] {lo, hi};
    }
}
