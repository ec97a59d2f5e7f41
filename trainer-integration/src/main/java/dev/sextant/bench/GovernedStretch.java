package dev.sextant.bench;

import java.util.List;

/**
 * The governed variant trained on alone after the interleaved blocks, in one stretch. The
 * governor estimates the step time from the time between the listener's callbacks; in the
 * interleaved blocks the first step of every block spans the other variants' blocks, the estimate
 * jumps, the intervals fall back towards their base and the expensive probes run again. This
 * stretch shows the governor as a single training run sees it between pauses; the pause before it
 * (the other variants, the curvature checks) has the same effect, so its first {@code leadIn} steps
 * are not timed.
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
