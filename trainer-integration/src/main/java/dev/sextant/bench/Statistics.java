package dev.sextant.bench;

import java.util.Arrays;

/** Order statistics and means of timing samples. */
public final class Statistics {
    private Statistics() {
    }

    /**
     * The median: the middle value of the sorted samples, or the mean of the two middle values
     * when their number is even; NaN for no samples. The input is not modified.
     */
    public static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** The arithmetic mean; NaN for no samples. */
    public static double mean(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        return sum(values) / values.length;
    }

    /** The sum. */
    public static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }

    /** The largest value; NaN for no samples. */
    public static double max(double[] values) {
        double m = Double.NaN;
        for (double v : values) {
            m = Double.isNaN(m) ? v : Math.max(m, v);
        }
        return m;
    }
}
