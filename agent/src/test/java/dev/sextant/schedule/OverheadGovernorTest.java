package dev.sextant.schedule;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OverheadGovernorTest {

    private static double overhead(int[] n, double[] cost, double step) {
        double total = 0;
        for (int i = 0; i < n.length; i++) {
            total += cost[i] / (n[i] * step);
        }
        return total;
    }

    @Test
    void withinBudgetNothingChanges() {
        // 1 ms step; probes cost 0.1 ms every 10 steps (1%) and 5 ms every 500 (1%): 2% <= 3%
        int[] n = new OverheadGovernor(0.03).intervals(new int[] {10, 500}, new double[] {1e-4, 5e-3}, 1e-3);
        assertArrayEquals(new int[] {10, 500}, n);
    }

    @Test
    void theExpensiveProbeIsStretchedFirstAndTheBudgetHolds() {
        // cheap: 0.1 ms every 10 steps = 1%; expensive: 1 s every 500 steps = 200%
        double[] cost = {1e-4, 1.0};
        int[] n = new OverheadGovernor(0.03).intervals(new int[] {10, 500}, cost, 1e-3);
        assertArrayEquals(new int[] {10, 64000}, n, "cheap probe keeps its interval; 500·2^7 brings 200% to 1.56%");
        assertTrue(overhead(n, cost, 1e-3) <= 0.03);
    }

    @Test
    void whenACheapProbeIsTheLargestConsumerItIsStretchedToo() {
        // cheap: 0.2 ms every 10 steps = 2%; expensive 200%. After 7 doublings the expensive one
        // adds 1.56%, the cheap one 2% (total 3.56%): the cheap one is now the largest and doubles.
        double[] cost = {2e-4, 1.0};
        int[] n = new OverheadGovernor(0.03).intervals(new int[] {10, 500}, cost, 1e-3);
        assertArrayEquals(new int[] {20, 64000}, n);
        assertTrue(overhead(n, cost, 1e-3) <= 0.03);
    }

    @Test
    void stretchingStopsAtTheCapEvenIfTheBudgetCannotBeMet() {
        int[] n = new OverheadGovernor(0.01).intervals(new int[] {1}, new double[] {1.0}, 1e-3);
        assertArrayEquals(new int[] {1 << OverheadGovernor.MAX_DOUBLINGS}, n);
    }

    @Test
    void unknownCostsOrStepTimeKeepTheBaseIntervals() {
        assertArrayEquals(new int[] {10, 50}, new OverheadGovernor(0.03)
                .intervals(new int[] {10, 50}, new double[] {Double.NaN, 1.0}, Double.NaN));
        assertArrayEquals(new int[] {10, 50 << 10}, new OverheadGovernor(0.03)
                .intervals(new int[] {10, 50}, new double[] {Double.NaN, 1.0}, 1e-6));
    }

    @Test
    void aBudgetOutsideZeroToOneIsRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OverheadGovernor(3));
        assertTrue(e.getMessage().startsWith("overheadBudget: 3.0"), e.getMessage());
    }
}
