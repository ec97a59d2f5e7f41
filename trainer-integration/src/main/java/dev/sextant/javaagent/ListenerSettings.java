package dev.sextant.javaagent;

/**
 * Settings handed to every network's {@code SextantListener.Builder} as given. A null component was
 * not given: the builder's own default applies, so the agent and the builder never disagree on one.
 *
 * @param profile          which probes run
 * @param every            interval of progress and weight geometry, steps
 * @param noiseEvery       full profile: interval of gradient noise and batch sharpness, steps
 * @param sharpnessEvery   full profile: interval of top eigenvalues, preconditioned and SAM sharpness, steps
 * @param traceEvery       full profile: interval of the Hessian trace, steps
 * @param overheadBudget   Sextant's time budget, a fraction of training time
 * @param fixedIntervals   true: no overhead governor
 * @param probeDataType    data type of the probes' network copy
 * @param history          probe calls kept for the live page
 * @param eventLogMaxBytes rotation size of one event-log file
 * @param eventLogKeep     rotated event-log files kept
 */
public record ListenerSettings(ProbeProfile profile, Integer every, Integer noiseEvery, Integer sharpnessEvery,
                               Integer traceEvery, Double overheadBudget, Boolean fixedIntervals,
                               ProbeDataType probeDataType, Integer history, Long eventLogMaxBytes,
                               Integer eventLogKeep) {
}
