package dev.sextant.schedule;

import dev.sextant.export.SampleSink;
import dev.sextant.probe.Need;
import dev.sextant.probe.Probe;
import dev.sextant.probe.Readings;
import dev.sextant.probe.Sample;
import dev.sextant.probe.StepView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Runs the probes that are due at a step, times them, hands their samples to the sinks and
 * contains their failures: a probe that throws is logged (with its cause, once), counted, and
 * suspended for a back-off that doubles with each consecutive failure; training never sees the
 * exception.
 *
 * <p>A probe runs at the first step it sees and then every {@code interval} steps. With an
 * {@link OverheadGovernor}, the intervals are stretched from their configured values so that
 * Sextant's measured cost stays within the budget (the integration reports each step's training
 * and Sextant time with {@link #observeStep}); changes are announced to the sinks.
 */
public final class ProbeRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeRunner.class);
    /** A failing probe is skipped for every·2^k steps after its k-th consecutive failure, k at most this. */
    static final int MAX_BACKOFF_DOUBLINGS = 10;

    /** Weight of the newest observation in the cost and step-time averages. */
    private static final double EMA_WEIGHT = 0.1;
    /** A step's training time counts as at most this multiple of the average step. */
    static final double MAX_STEP_JUMP = 10;

    private final Slot[] slots;
    private final List<SampleSink> sinks;
    private final OverheadGovernor governor;
    private double stepSecondsEma = Double.NaN;
    private long trainingNanos;
    private long sextantNanos;

    /** A probe with its schedule. */
    public record Scheduled(Probe probe, Schedule schedule) {
    }

    private static final class Slot {
        final Probe probe;
        final int base;
        final Set<Need> needs;
        int every;
        long nextDue = Long.MIN_VALUE;
        int consecutiveFailures;
        boolean loggedFailure;
        double secondsPerCall = Double.NaN;
        long calls;

        Slot(Scheduled s) {
            this.probe = s.probe();
            this.base = s.schedule().every();
            this.every = base;
            this.needs = s.probe().needs().isEmpty() ? EnumSet.noneOf(Need.class) : EnumSet.copyOf(s.probe().needs());
        }

        boolean due(long step) {
            return step >= nextDue;
        }
    }

    /** A runner with fixed intervals. */
    public ProbeRunner(List<Scheduled> probes, List<SampleSink> sinks) {
        this(probes, sinks, null);
    }

    /** A runner whose intervals the governor stretches to hold its budget ({@code null}: fixed intervals). */
    public ProbeRunner(List<Scheduled> probes, List<SampleSink> sinks, OverheadGovernor governor) {
        this.slots = probes.stream().map(Slot::new).toArray(Slot[]::new);
        this.sinks = List.copyOf(sinks);
        this.governor = governor;
    }

    /**
     * Reports one training step: its training time (Sextant excluded) and Sextant's time in it.
     * Feeds the overhead ratio and the governor's step-time average.
     */
    public void observeStep(long trainingNanos, long sextantNanos) {
        double s = trainingNanos * 1e-9;
        if (!Double.isNaN(stepSecondsEma) && s > MAX_STEP_JUMP * stepSecondsEma) {
            // A pause between fit() calls (evaluation, checkpointing, another job's turn) is not
            // step time: counting it would make Sextant look cheaper than it is.
            s = MAX_STEP_JUMP * stepSecondsEma;
            trainingNanos = (long) (s * 1e9);
        }
        this.trainingNanos += trainingNanos;
        this.sextantNanos += sextantNanos;
        stepSecondsEma = Double.isNaN(stepSecondsEma) ? s : stepSecondsEma + EMA_WEIGHT * (s - stepSecondsEma);
    }

    /** Sextant's time over training time (Sextant excluded) since the start: NaN before the first step. */
    public double overheadRatio() {
        return trainingNanos == 0 ? Double.NaN : (double) sextantNanos / trainingNanos;
    }

    /** The current interval of each probe, in the order of {@link #probes()}. */
    public int[] intervals() {
        int[] out = new int[slots.length];
        for (int i = 0; i < slots.length; i++) {
            out[i] = slots[i].every;
        }
        return out;
    }

    /** Whether any probe is due at {@code step}: the hot path when nothing is, a few integer operations. */
    public boolean anyDue(long step) {
        for (Slot s : slots) {
            if (s.due(step)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a probe due at {@code step} declared {@code need}; allocates nothing. */
    public boolean needs(long step, Need need) {
        for (Slot s : slots) {
            if (s.due(step) && s.needs.contains(need)) {
                return true;
            }
        }
        return false;
    }

    /** The probes, in the order they run. */
    public List<Probe> probes() {
        List<Probe> out = new ArrayList<>(slots.length);
        for (Slot s : slots) {
            out.add(s.probe);
        }
        return out;
    }

    /** The union of the needs of the probes due at {@code step}. */
    public Set<Need> needsAt(long step) {
        Set<Need> needs = EnumSet.noneOf(Need.class);
        for (Slot s : slots) {
            if (s.due(step)) {
                needs.addAll(s.needs);
            }
        }
        return needs;
    }

    /** Runs every probe due at {@code view.step()}; returns the samples produced. */
    public List<Sample> run(StepView view) {
        long step = view.step();
        List<Sample> samples = new ArrayList<>();
        boolean ran = false;
        for (Slot slot : slots) {
            if (!slot.due(step)) {
                continue;
            }
            ran = true;
            Readings readings = new Readings();
            long start = System.nanoTime();
            Throwable failure = null;
            try {
                slot.probe.sample(view, readings);
            } catch (Exception | LinkageError | AssertionError e) {
                failure = e;
            }
            double seconds = (System.nanoTime() - start) * 1e-9;
            // The first call pays for class loading and JIT compilation: its time is not the cost.
            if (slot.calls++ > 0) {
                slot.secondsPerCall = Double.isNaN(slot.secondsPerCall) ? seconds
                        : slot.secondsPerCall + EMA_WEIGHT * (seconds - slot.secondsPerCall);
            }
            for (SampleSink sink : sinks) {
                sink.probeTimed(slot.probe.name(), step, seconds);
            }
            if (failure != null) {
                fail(slot, step, failure);
                continue;
            }
            slot.consecutiveFailures = 0;
            slot.nextDue = step + slot.every;
            Sample sample = new Sample(slot.probe.name(), step, view.epoch(), System.currentTimeMillis(),
                    readings.list());
            samples.add(sample);
            for (SampleSink sink : sinks) {
                sink.accept(sample);
            }
        }
        if (ran && governor != null) {
            govern(step);
        }
        return samples;
    }

    private void govern(long step) {
        int[] base = new int[slots.length];
        double[] cost = new double[slots.length];
        for (int i = 0; i < slots.length; i++) {
            base[i] = slots[i].base;
            cost[i] = slots[i].secondsPerCall;
        }
        int[] chosen = governor.intervals(base, cost, stepSecondsEma);
        for (int i = 0; i < slots.length; i++) {
            Slot s = slots[i];
            if (chosen[i] != s.every) {
                // keep the phase: the next call is one new interval after the last one
                s.nextDue = s.nextDue - s.every + chosen[i];
                s.every = chosen[i];
                for (SampleSink sink : sinks) {
                    sink.intervalChanged(s.probe.name(), step, s.every);
                }
            }
        }
    }

    private void fail(Slot slot, long step, Throwable failure) {
        slot.consecutiveFailures++;
        int doublings = Math.min(slot.consecutiveFailures, MAX_BACKOFF_DOUBLINGS);
        slot.nextDue = step + ((long) slot.every << doublings);
        if (!slot.loggedFailure) {
            LOG.warn("Sextant probe '{}' failed at step {}; training goes on, the probe backs off "
                    + "(further failures are counted in sextant_probe_failures_total)", slot.probe.name(), step, failure);
            slot.loggedFailure = true;
        } else {
            LOG.debug("Sextant probe '{}' failed again at step {}", slot.probe.name(), step, failure);
        }
        for (SampleSink sink : sinks) {
            sink.probeFailed(slot.probe.name(), step, failure);
        }
    }
}
