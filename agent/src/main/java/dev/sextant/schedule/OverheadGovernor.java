package dev.sextant.schedule;

/**
 * Chooses probe intervals that keep Sextant's cost within a budget, a fraction of training time.
 *
 * <p>Model: a probe that costs {@code c} seconds per call and runs every {@code n} steps adds
 * {@code c / (n·T)} to the overhead, T the training time of one step. Starting from each
 * probe's base interval, the governor doubles the interval of the probe that adds the most until
 * the sum is within the budget; so the expensive probes are stretched first and the cheap ones
 * keep their schedule. An interval is never stretched beyond {@code 2^MAX_DOUBLINGS} times its
 * base (then the measured overhead may exceed the budget, and {@code sextant_overhead_ratio}
 * says so).
 */
public final class OverheadGovernor {
    /** At most this many doublings of a base interval (×1024). */
    public static final int MAX_DOUBLINGS = 10;

    private final double budget;

    /** @param budget allowed overhead as a fraction of training time, in (0, 1] */
    public OverheadGovernor(double budget) {
        if (!(budget > 0 && budget <= 1)) {
            throw new IllegalArgumentException("overheadBudget: " + budget
                    + "; use a fraction of training time in (0, 1], e.g. 0.03 for 3%");
        }
        this.budget = budget;
    }

    public double budget() {
        return budget;
    }

    /**
     * Intervals for the probes.
     *
     * @param base          each probe's configured interval
     * @param secondsPerCall each probe's measured cost per call (NaN while unknown: kept at base)
     * @param stepSeconds   training time of one step, Sextant excluded (NaN or ≤ 0: all at base)
     * @return the intervals, each {@code base·2^k}
     */
    public int[] intervals(int[] base, double[] secondsPerCall, double stepSeconds) {
        int[] n = base.clone();
        if (!(stepSeconds > 0)) {
            return n;
        }
        int[] doublings = new int[n.length];
        while (true) {
            double total = 0;
            int worst = -1;
            double worstShare = 0;
            for (int i = 0; i < n.length; i++) {
                double c = secondsPerCall[i];
                if (!(c > 0)) {
                    continue;
                }
                double share = c / (n[i] * stepSeconds);
                total += share;
                if (doublings[i] < MAX_DOUBLINGS && share > worstShare) {
                    worst = i;
                    worstShare = share;
                }
            }
            if (total <= budget || worst < 0) {
                return n;
            }
            n[worst] = (int) Math.min(Integer.MAX_VALUE / 2, 2L * n[worst]);
            doublings[worst]++;
        }
    }
}
