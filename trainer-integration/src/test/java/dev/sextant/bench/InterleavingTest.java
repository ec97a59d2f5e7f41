package dev.sextant.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The variants take turns block by block, so load from other processes hits them alike. */
class InterleavingTest {

    @Test
    void variantsTakeTurnsRoundByRound() {
        List<Interleaving.Block> plan = Interleaving.plan(4, 300, 3);
        StringBuilder order = new StringBuilder();
        for (Interleaving.Block b : plan) {
            order.append((char) ('A' + b.variant()));
        }
        assertEquals("ABCDABCDABCD", order.toString());
        for (int i = 0; i < plan.size(); i++) {
            assertEquals(i / 4, plan.get(i).round(), "block " + i + " belongs to round " + i / 4);
            assertEquals(100, plan.get(i).steps(), "300 steps in 3 rounds: 100 per block");
        }
    }

    @Test
    void unevenStepsGoOneEachToTheFirstRoundsAndEveryVariantGetsTheSameTotal() {
        // 10 steps in 4 rounds: 3, 3, 2, 2
        List<Interleaving.Block> plan = Interleaving.plan(2, 10, 4);
        int[] total = new int[2];
        int[] perRound = new int[4];
        for (Interleaving.Block b : plan) {
            total[b.variant()] += b.steps();
            perRound[b.round()] = b.steps();
        }
        assertEquals(10, total[0]);
        assertEquals(10, total[1]);
        assertEquals(List.of(3, 3, 2, 2), List.of(perRound[0], perRound[1], perRound[2], perRound[3]));
    }

    @Test
    void aRoundWithoutStepsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Interleaving.plan(3, 2, 5));
        assertEquals("steps = 2 cannot fill 5 rounds; give at least one step per round", e.getMessage());
    }
}
