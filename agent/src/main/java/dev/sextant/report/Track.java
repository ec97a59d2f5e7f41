package dev.sextant.report;

import java.util.Arrays;
import java.util.List;

/**
 * One metric's values over a run, by step, reduced to what a summary table shows.
 *
 * @param label     what the row is called
 * @param metric    the metric's Prometheus name
 * @param count     values logged (finite or not)
 * @param nonFinite values that were NaN or infinite
 * @param first     the first value logged (null when none)
 * @param last      the last value logged, finite or not (null when none)
 * @param peak      the largest finite value and its step (null when none is finite)
 * @param median    median of the finite values (the mean of the middle two for an even count), NaN when none
 */
public record Track(String label, String metric, int count, int nonFinite, Point first, Point last, Point peak,
                    double median) {

    /** A value at a step. */
    public record Point(long step, double value) {
    }

    /** The summary of {@code points}, given in log order. */
    public static Track of(String label, String metric, List<Point> points) {
        Point peak = null;
        int nonFinite = 0;
        double[] finite = new double[points.size()];
        int n = 0;
        for (Point p : points) {
            if (!Double.isFinite(p.value())) {
                nonFinite++;
                continue;
            }
            finite[n++] = p.value();
            if (peak == null || p.value() > peak.value()) {
                peak = p;
            }
        }
        return new Track(label, metric, points.size(), nonFinite, points.isEmpty() ? null : points.get(0),
                points.isEmpty() ? null : points.get(points.size() - 1), peak, median(Arrays.copyOf(finite, n)));
    }

    /** Whether the run logged this metric at all. */
    public boolean present() {
        return count > 0;
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }
}
