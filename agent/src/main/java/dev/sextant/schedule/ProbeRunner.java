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
 */
public final class ProbeRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeRunner.class);
    /** A failing probe is skipped for every·2^k steps after its k-th consecutive failure, k at most this. */
    static final int MAX_BACKOFF_DOUBLINGS = 10;

    private final Slot[] slots;
    private final List<SampleSink> sinks;

    /** A probe with its schedule. */
    public record Scheduled(Probe probe, Schedule schedule) {
    }

    private static final class Slot {
        final Probe probe;
        final int every;
        final Set<Need> needs;
        int consecutiveFailures;
        long suspendedUntil = Long.MIN_VALUE;
        boolean loggedFailure;

        Slot(Scheduled s) {
            this.probe = s.probe();
            this.every = s.schedule().every();
            this.needs = s.probe().needs().isEmpty() ? EnumSet.noneOf(Need.class) : EnumSet.copyOf(s.probe().needs());
        }

        boolean due(long step) {
            return step % every == 0 && step >= suspendedUntil;
        }
    }

    public ProbeRunner(List<Scheduled> probes, List<SampleSink> sinks) {
        this.slots = probes.stream().map(Slot::new).toArray(Slot[]::new);
        this.sinks = List.copyOf(sinks);
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
        for (Slot slot : slots) {
            if (!slot.due(step)) {
                continue;
            }
            Readings readings = new Readings();
            long start = System.nanoTime();
            Throwable failure = null;
            try {
                slot.probe.sample(view, readings);
            } catch (Exception | LinkageError | AssertionError e) {
                failure = e;
            }
            double seconds = (System.nanoTime() - start) * 1e-9;
            for (SampleSink sink : sinks) {
                sink.probeTimed(slot.probe.name(), step, seconds);
            }
            if (failure != null) {
                fail(slot, step, failure);
                continue;
            }
            slot.consecutiveFailures = 0;
            Sample sample = new Sample(slot.probe.name(), step, view.epoch(), System.currentTimeMillis(),
                    readings.list());
            samples.add(sample);
            for (SampleSink sink : sinks) {
                sink.accept(sample);
            }
        }
        return samples;
    }

    private void fail(Slot slot, long step, Throwable failure) {
        slot.consecutiveFailures++;
        int doublings = Math.min(slot.consecutiveFailures, MAX_BACKOFF_DOUBLINGS);
        slot.suspendedUntil = step + ((long) slot.every << doublings);
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
