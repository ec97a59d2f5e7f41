package dev.sextant.bench;

import dev.sextant.dl4j.SextantListener;
import dev.sextant.schedule.Profile;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import org.deeplearning4j.optimize.api.TrainingListener;

import java.util.List;

/**
 * The listeners of one variant, for one new network. Sextant serves no metrics and writes no event
 * log here ({@code port(-1)}, {@code eventLog(null)}): the benchmark measures the probes and their
 * bookkeeping, not an HTTP server or a disk.
 */
public final class VariantListeners implements AutoCloseable {
    private final List<TimedListener> listeners;
    private final SextantListener sextant;
    private final ProbeTimings timings;

    private VariantListeners(List<TrainingListener> listeners, SextantListener sextant, ProbeTimings timings) {
        this.listeners = listeners.stream().map(TimedListener::new).toList();
        this.sextant = sextant;
        this.timings = timings;
    }

    /**
     * New listeners for {@code variant}.
     *
     * @throws IllegalStateException when the variant cannot run in this build (StatsListener not on
     *                               the class path); the message says why
     */
    public static VariantListeners create(Variant variant, Workload workload) {
        return switch (variant) {
            case NONE -> new VariantListeners(List.of(), null, null);
            case DL4J_STATS -> new VariantListeners(List.of(Dl4jStatsListener.create()), null, null);
            case SEXTANT_DEFAULT, SEXTANT_FULL, SEXTANT_FULL_GOVERNED -> sextant(variant, workload);
        };
    }

    private static VariantListeners sextant(Variant variant, Workload workload) {
        ProbeTimings timings = new ProbeTimings();
        SextantListener.Builder b = SextantListener.builder()
                .runId("bench-" + variant.label().replace("%", "pct"))
                .model(workload.label())
                .port(-1)
                .eventLog(null)
                .sink(timings);
        if (variant == Variant.SEXTANT_DEFAULT) {
            b.profile(Profile.DEFAULT);
        } else {
            b.profile(Profile.FULL)
                    .every(Variant.FULL_EVERY)
                    .noiseEvery(Variant.FULL_NOISE_EVERY)
                    .sharpnessEvery(Variant.FULL_SHARPNESS_EVERY)
                    .traceEvery(Variant.FULL_TRACE_EVERY);
        }
        if (variant == Variant.SEXTANT_FULL_GOVERNED) {
            b.overheadBudget(Variant.GOVERNOR_BUDGET);
        } else {
            b.fixedIntervals();
        }
        SextantListener listener = b.build();
        return new VariantListeners(List.of(listener), listener, timings);
    }

    /** The listeners to set on the network, each wrapped to time its callbacks. */
    public List<TrainingListener> listeners() {
        return List.copyOf(listeners);
    }

    /** Nanoseconds spent inside the listeners since the last {@link #resetTime()}. */
    public long listenerNanos() {
        long sum = 0;
        for (TimedListener l : listeners) {
            sum += l.nanos();
        }
        return sum;
    }

    /** Restarts {@link #listenerNanos()} from zero. */
    public void resetTime() {
        listeners.forEach(TimedListener::reset);
    }

    /** The Sextant listener, or {@code null} when this variant has none. */
    public SextantListener sextant() {
        return sextant;
    }

    /** Per-call probe times, or {@code null} when this variant has no Sextant listener. */
    public ProbeTimings timings() {
        return timings;
    }

    /**
     * The last value of the governor's {@code sextant_overhead_ratio} gauge (probe time over
     * training time), or NaN when there is no Sextant listener or no such gauge.
     */
    public double overheadRatio() {
        if (sextant == null) {
            return Double.NaN;
        }
        for (Meter m : sextant.registry().getMeters()) {
            String name = m.getId().getName().replace('.', '_');
            if (name.equals("sextant_overhead")) { // exported as sextant_overhead_ratio (base unit ratio)
                for (Measurement x : m.measure()) {
                    return x.getValue();
                }
            }
        }
        return Double.NaN;
    }

    @Override
    public void close() {
        if (sextant != null) {
            sextant.close();
        }
    }
}
