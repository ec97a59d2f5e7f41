package dev.sextant.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The median and mean that every ratio of the benchmark is built from. */
class StatisticsTest {

    @Test
    void medianOfAnOddCountIsTheMiddleValueOfTheSortedSamples() {
        // sorted: 1, 2, 7, 9, 40 -> 7; exact, no arithmetic involved
        assertEquals(7.0, Statistics.median(new double[] {9, 1, 40, 7, 2}), 0.0);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        // sorted: 1, 3, 8, 100 -> (3 + 8) / 2 = 5.5, exact in binary
        assertEquals(5.5, Statistics.median(new double[] {100, 3, 1, 8}), 0.0);
    }

    @Test
    void medianIgnoresARareExpensiveStepWhileTheMeanCountsIt() {
        // 99 steps of 4 ms and one probe call of 404 ms: median 4, mean (99·4 + 404)/100 = 8 (exact in binary)
        double[] steps = new double[100];
        java.util.Arrays.fill(steps, 4.0);
        steps[37] = 404.0;
        assertEquals(4.0, Statistics.median(steps), 0.0);
        assertEquals(8.0, Statistics.mean(steps), 0.0);
        assertEquals(404.0, Statistics.max(steps), 0.0);
    }

    @Test
    void medianLeavesItsInputInPlace() {
        double[] samples = {3, 1, 2};
        Statistics.median(samples);
        assertArrayEquals(new double[] {3, 1, 2}, samples, 0.0);
    }

    @Test
    void noSamplesGiveNaNNotZero() {
        assertTrue(Double.isNaN(Statistics.median(new double[0])));
        assertTrue(Double.isNaN(Statistics.mean(new double[0])));
        assertTrue(Double.isNaN(Statistics.max(new double[0])));
    }
}
