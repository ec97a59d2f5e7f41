package dev.sextant.bench;

import java.util.List;

/**
 * The governed variant trained on alone after the interleaved blocks, in one stretch: the
 * governor's steady state. In the blocks the governor is still settling (a probe's first call
 * does not count as its cost, so each expensive probe runs twice at its base interval), and the
 * first step of each block, which follows the other variants' blocks, raises its step-time
 * average for a few dozen steps. The pause before the stretch (the curvature checks) has the same
 * effect, so its first {@code leadIn} steps are not timed.
 *
 * @param leadIn        untimed steps before the stretch
 * @param steps         steps in the stretch
 * @param medianMs      median step time
 * @param meanMs        mean step time
 * @param listenerMs    time inside the listener per step
 * @param listenerRatio {@code 1 + listenerMs / (meanMs − listenerMs)}
 * @param calls         each probe's calls in the stretch
 */
public record GovernedStretch(int leadIn, int steps, double medianMs, double meanMs, double listenerMs, double listenerRatio,
                              List<ProbeCost> calls) {
}
