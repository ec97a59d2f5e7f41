package dev.sextant.probe.noise;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Adam-style bias correction: the average of n samples is m_n/(1 − βⁿ), a weighted mean with weights summing to 1. */
class BiasCorrectedEmaTest {
    /** A few ulps: each value below is one or two roundings of a short formula. */
    private static final double ROUNDING = 1e-14;

    @Test
    void isNaNBeforeTheFirstSample() {
        assertTrue(Double.isNaN(new BiasCorrectedEma(0.9).value()));
    }

    /** m₁ = (1−β)x₁ and 1−β¹ = 1−β: the first reading is x₁ itself, not (1−β)x₁ = 0.5. */
    @Test
    void firstReadingIsTheFirstSample() {
        BiasCorrectedEma ema = new BiasCorrectedEma(0.9);
        ema.add(5.0);
        assertEquals(5.0, ema.value(), 5.0 * ROUNDING);
    }

    /** m₂ = (1−β)(βx₁ + x₂) and 1−β² = (1−β)(1+β): the reading is (βx₁ + x₂)/(1+β). */
    @Test
    void secondReadingWeighsThePastByDecay() {
        double beta = 0.9;
        BiasCorrectedEma ema = new BiasCorrectedEma(beta);
        ema.add(2.0);
        ema.add(10.0);
        double expected = (beta * 2.0 + 10.0) / (1 + beta);
        assertEquals(expected, ema.value(), expected * ROUNDING);
        assertEquals(2, ema.count());
    }

    /**
     * A constant input reads as that constant at every n (an uncorrected EMA would read
     * c(1 − βⁿ): 0.1c after one sample, 0.65c after ten).
     */
    @Test
    void constantInputReadsConstantFromTheStart() {
        BiasCorrectedEma ema = new BiasCorrectedEma(0.9);
        for (int n = 1; n <= 200; n++) {
            ema.add(3.0);
            // 1 − βⁿ is computed to a relative error of ~n ulps of βⁿ/(1−βⁿ); 1e-13 covers n ≤ 200.
            assertEquals(3.0, ema.value(), 3.0 * 1e-13, "after " + n + " samples");
        }
    }

    /** β = 0 keeps only the last sample. */
    @Test
    void zeroDecayKeepsTheLastSample() {
        BiasCorrectedEma ema = new BiasCorrectedEma(0.0);
        ema.add(1.0);
        ema.add(7.0);
        assertEquals(7.0, ema.value(), 0.0);
    }

    @Test
    void rejectsDecayOutsideTheUnitInterval() {
        for (double bad : new double[]{1.0, -0.1, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BiasCorrectedEma(bad));
            assertTrue(e.getMessage().contains("decay = " + bad), e.getMessage());
            assertTrue(e.getMessage().contains("[0, 1)"), e.getMessage());
        }
    }
}
