package dev.sextant.demo;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.IUpdater;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code --lr-at STEP:RATE} counts steps; DL4J's schedule counts a network's iterations. With one
 * network they are the same; with N workers an iteration is a round of N steps, and a change at step
 * S applies from round ⌈S/N⌉, the first round that starts at or after step S. Rates are compared
 * exactly: the schedule returns the given doubles unchanged.
 */
class LearningRateChangesTest {

    private static IUpdater updater(String... args) throws UsageException {
        return Trainer.updater(TrainOptions.parse(List.of(args)));
    }

    @Test
    void oneNetworkChangesTheRateAtTheGivenIteration() throws UsageException {
        IUpdater u = updater("--lr", "0.01", "--lr-at", "301:0.05,302:0.07");

        assertEquals(0.01, u.getLearningRate(300, 0));
        assertEquals(0.05, u.getLearningRate(301, 0));
        assertEquals(0.07, u.getLearningRate(302, 0));
    }

    @Test
    void twoWorkersChangeTheRateAtTheFirstRoundStartingAtOrAfterTheStep() throws UsageException {
        // Round r holds steps 2r and 2r+1 (0-based): step 300 starts round 150, step 301 is inside it.
        IUpdater even = updater("--workers", "2", "--lr", "0.01", "--lr-at", "300:0.05");
        assertEquals(0.01, even.getLearningRate(149, 0));
        assertEquals(0.05, even.getLearningRate(150, 0));

        // Steps 301 and 302 both first take effect at round 151; the later change wins.
        IUpdater odd = updater("--workers", "2", "--lr", "0.01", "--lr-at", "301:0.05,302:0.07");
        assertEquals(0.01, odd.getLearningRate(150, 0));
        assertEquals(0.07, odd.getLearningRate(151, 0));
    }

    @Test
    void threeWorkersDivideTheStepsByThree() throws UsageException {
        IUpdater u = updater("--workers", "3", "--optimizer", "sgd", "--lr", "0.1", "--lr-at", "7:0.02");

        assertEquals(0.1, u.getLearningRate(2, 0), "round 2 holds steps 6..8: it starts before step 7");
        assertEquals(0.02, u.getLearningRate(3, 0), "round 3 starts at step 9");
    }
}
