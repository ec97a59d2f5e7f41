package dev.sextant.bench;

import java.util.Map;

/**
 * What one variant measured on one workload.
 *
 * @param variant        the variant
 * @param unavailable    why it did not run in this build, or {@code null} when it ran
 * @param steps          timed steps
 * @param medianMs       median step time, milliseconds
 * @param amortisedMs    total time of the timed steps over their number: the rare expensive probe calls count
 * @param listenerMs     time inside the listeners per timed step (0 for no listener)
 * @param roundMeanMs    mean step time of each round's block
 * @param maxAfterBlock  JVM-wide memory read after GC at the end of each block, field-wise maximum
 * @param sextantBytes   bytes of the ND4J buffers the Sextant listener holds beyond the network's, -1 without Sextant
 * @param ownBytes       the same for the listener without its probes: its step buffers, the float64 evaluation
 *                       copy of the network and the probe batch; -1 without Sextant
 * @param probeBytes     the same per probe (each probe's own buffers; probes may share some), empty without Sextant
 * @param overheadRatio  last value of Sextant's {@code sextant_overhead_ratio} gauge, NaN when absent
 * @param intervals      the last interval the overhead governor set per probe it changed (empty otherwise)
 */
public record VariantResult(Variant variant, String unavailable, int steps, double medianMs, double amortisedMs,
                            double listenerMs, double[] roundMeanMs, MemoryMeter.Reading maxAfterBlock,
                            long sextantBytes, long ownBytes, Map<String, Long> probeBytes, double overheadRatio,
                            Map<String, Integer> intervals) {

    /** A variant that could not run, and why. */
    public static VariantResult unavailable(Variant variant, String why) {
        return new VariantResult(variant, why, 0, Double.NaN, Double.NaN, Double.NaN, new double[0],
                MemoryMeter.Reading.ZERO, -1, -1, Map.of(), Double.NaN, Map.of());
    }

    public boolean ran() {
        return unavailable == null;
    }

    /**
     * The slowdown the listeners' own time causes: {@code 1 + listenerMs / (amortisedMs − listenerMs)},
     * both measured in the same steps, so load from other processes in other blocks cancels.
     */
    public double listenerRatio() {
        return 1 + listenerMs / (amortisedMs - listenerMs);
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
