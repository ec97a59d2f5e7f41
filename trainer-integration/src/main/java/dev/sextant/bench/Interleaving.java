package dev.sextant.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The order in which the variants train: round by round, every variant one block of steps in
 * turn ({@code A B C D A B C D ...}), so that a slow minute of a shared machine hits every
 * variant alike instead of whichever one happened to run then.
 */
public final class Interleaving {
    private Interleaving() {
    }

    /**
     * One block: variant {@code variant} trains {@code steps} steps in round {@code round}.
     *
     * @param round   0-based round
     * @param variant 0-based index of the variant
     * @param steps   steps of this block
     */
    public record Block(int round, int variant, int steps) {
    }

    /**
     * The blocks of {@code rounds} rounds over {@code variants} variants with {@code totalSteps}
     * timed steps per variant, split as evenly as possible: the first {@code totalSteps % rounds}
     * rounds get one step more.
     *
     * @throws IllegalArgumentException when a count is below 1 or a round would have no steps
     */
    public static List<Block> plan(int variants, int totalSteps, int rounds) {
        if (variants < 1 || rounds < 1) {
            throw new IllegalArgumentException("variants = " + variants + ", rounds = " + rounds + "; both must be at least 1");
        }
        if (totalSteps < rounds) {
            throw new IllegalArgumentException("steps = " + totalSteps + " cannot fill " + rounds
                    + " rounds; give at least one step per round");
        }
        List<Block> blocks = new ArrayList<>(variants * rounds);
        for (int r = 0; r < rounds; r++) {
            int steps = totalSteps / rounds + (r < totalSteps % rounds ? 1 : 0);
            for (int v = 0; v < variants; v++) {
                blocks.add(new Block(r, v, steps));
            }
        }
        return blocks;
    }
}
