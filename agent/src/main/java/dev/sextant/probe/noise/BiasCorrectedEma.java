package dev.sextant.probe.noise;

/**
 * An exponential moving average with Adam's bias correction (Kingma &amp; Ba 2015, Algorithm 1):
 * {@code m_n = β·m_{n−1} + (1−β)·x_n} from {@code m_0 = 0}, read as {@code m_n / (1 − βⁿ)}. The
 * correction makes the reading a weighted mean of the samples with weights
 * {@code (1−β)β^{n−i} / (1−βⁿ)}, which sum to 1: the first reading is the first sample itself, and
 * a constant input reads as that constant from the start instead of creeping up from 0.
 */
public final class BiasCorrectedEma {
    private final double decay;
    private double biased;
    private long count;

    /**
     * @param decay β, the weight of the past per added sample, in {@code [0, 1)}; β = 0 keeps only
     *              the last sample
     */
    public BiasCorrectedEma(double decay) {
        this.decay = checkDecay("decay", decay);
    }

    /** Checks that {@code value} is a valid decay, naming {@code field} in the message. */
    static double checkDecay(String field, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(field + " = " + value + ": must be in [0, 1) (the weight of the past"
                    + " per sample; 1 would never move)");
        }
        return value;
    }

    /** Adds one sample; the caller decides what counts as a sample (non-finite ones are usually not). */
    public void add(double x) {
        biased = decay * biased + (1 - decay) * x;
        count++;
    }

    /** The bias-corrected average {@code m_n / (1 − βⁿ)}, or NaN before the first sample. */
    public double value() {
        return count == 0 ? Double.NaN : biased / (1 - Math.pow(decay, count));
    }

    /** Samples added so far. */
    public long count() {
        return count;
    }

    public double decay() {
        return decay;
    }
}
