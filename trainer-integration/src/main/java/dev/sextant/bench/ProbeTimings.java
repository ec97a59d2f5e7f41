package dev.sextant.bench;

import dev.sextant.export.SampleSink;
import dev.sextant.probe.Sample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link SampleSink} that keeps the exact training-thread time of every probe call, as the
 * listener's runner measured it around {@code Probe.sample}, the first failure of each probe, and
 * the intervals the overhead governor chose.
 */
public final class ProbeTimings implements SampleSink {
    /** One probe call: the step it ran at and its duration. */
    public record Call(long step, double seconds) {
    }

    private final Map<String, List<Call>> calls = new LinkedHashMap<>();
    private final Map<String, String> failures = new LinkedHashMap<>();
    private final Map<String, Integer> intervals = new LinkedHashMap<>();

    @Override
    public void accept(Sample sample) {
        // only the timings matter here
    }

    @Override
    public void probeTimed(String probe, long step, double seconds) {
        calls.computeIfAbsent(probe, k -> new ArrayList<>()).add(new Call(step, seconds));
    }

    @Override
    public void probeFailed(String probe, long step, Throwable cause) {
        failures.putIfAbsent(probe, "step " + step + ": " + cause);
    }

    @Override
    public void intervalChanged(String probe, long step, int interval) {
        intervals.put(probe, interval);
    }

    /** The last interval the overhead governor set for each probe it changed (empty at fixed intervals). */
    public Map<String, Integer> governedIntervals() {
        return new LinkedHashMap<>(intervals);
    }

    /** The probes seen, in the order of their first call. */
    public List<String> probes() {
        return List.copyOf(calls.keySet());
    }

    /** The calls of {@code probe} at steps ≥ {@code fromStep}. */
    public List<Call> calls(String probe, long fromStep) {
        List<Call> out = new ArrayList<>();
        for (Call c : calls.getOrDefault(probe, List.of())) {
            if (c.step() >= fromStep) {
                out.add(c);
            }
        }
        return out;
    }

    /** The first failure of each probe that failed, as "step N: exception". */
    public Map<String, String> failures() {
        return Map.copyOf(failures);
    }
}
