package dev.sextant.export;

import dev.sextant.probe.MetricSpec;
import dev.sextant.probe.Probe;
import dev.sextant.probe.Reading;
import dev.sextant.probe.Sample;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Binds samples to Micrometer gauges on a {@link PrometheusMeterRegistry}. Each series holds the
 * last value written; a scrape reads those values and never computes anything.
 *
 * <p>Labels: {@code run} and {@code model} on every series, plus the metric's own labels
 * ({@code layer} and {@code param} on per-parameter metrics) and {@code probe} on Sextant's own
 * health metrics. Series are created on their first value, one per (metric, label values):
 * bounded by the model's layers.
 */
public final class MetricsExporter implements SampleSink {
    /** Last call's duration of each probe. */
    public static final MetricSpec PROBE_DURATION = MetricSpec.global("sextant_probe_duration", "seconds",
            "Training-thread time of the probe's last call (label probe).");

    /** Current interval of each probe (stretched by the overhead governor). */
    public static final MetricSpec PROBE_INTERVAL = MetricSpec.global("sextant_probe_interval", "steps",
            "Steps between calls of the probe, as configured or as stretched by the overhead governor (label probe).");

    private final PrometheusMeterRegistry registry;
    private final Tags common;
    private final Map<SeriesKey, AtomicLong> values = new ConcurrentHashMap<>();
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();
    private final Map<String, Counter> samples = new ConcurrentHashMap<>();

    private record SeriesKey(String name, List<String> labelValues, String probe) {
    }

    /**
     * @param registry registry to bind to (its Prometheus registry is what the HTTP server serves)
     * @param run      run id label
     * @param model    model name label
     * @param probes   the probes whose metrics will be written
     */
    public MetricsExporter(PrometheusMeterRegistry registry, String run, String model, List<Probe> probes) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.common = Tags.of("run", run, "model", model);
        for (Probe p : probes) {
            failures.put(p.name(), Counter.builder("sextant.probe.failures")
                    .description("Calls of the probe that threw; training went on.")
                    .tags(common).tag("probe", p.name()).register(registry));
            samples.put(p.name(), Counter.builder("sextant.probe.samples")
                    .description("Samples the probe produced.")
                    .tags(common).tag("probe", p.name()).register(registry));
        }
    }

    /** A registry with Sextant's defaults. */
    public static PrometheusMeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void accept(Sample sample) {
        for (Reading r : sample.readings()) {
            set(r.metric(), r.labelValues(), null, r.value());
        }
        Counter c = samples.get(sample.probe());
        if (c != null) {
            c.increment();
        }
    }

    @Override
    public void probeTimed(String probe, long step, double seconds) {
        set(PROBE_DURATION, List.of(), probe, seconds);
    }

    @Override
    public void intervalChanged(String probe, long step, int interval) {
        set(PROBE_INTERVAL, List.of(), probe, interval);
    }

    @Override
    public void probeFailed(String probe, long step, Throwable cause) {
        failures.computeIfAbsent(probe, p -> Counter.builder("sextant.probe.failures")
                .description("Calls of the probe that threw; training went on.")
                .tags(common).tag("probe", p).register(registry)).increment();
    }

    /** Sets the last value of one series, registering the gauge on first use. */
    public void set(MetricSpec metric, List<String> labelValues, String probe, double value) {
        SeriesKey key = new SeriesKey(metric.name(), labelValues, probe);
        AtomicLong holder = values.get(key);
        if (holder == null) {
            holder = values.computeIfAbsent(key, k -> register(metric, labelValues, probe));
        }
        holder.set(Double.doubleToRawLongBits(value));
    }

    private AtomicLong register(MetricSpec metric, List<String> labelValues, String probe) {
        AtomicLong holder = new AtomicLong(Double.doubleToRawLongBits(Double.NaN));
        Tags tags = common;
        for (int i = 0; i < labelValues.size(); i++) {
            tags = tags.and(metric.labels().get(i), labelValues.get(i));
        }
        if (probe != null) {
            tags = tags.and("probe", probe);
        }
        Gauge.Builder<AtomicLong> b = Gauge.builder(metric.name().replace('_', '.'), holder,
                        h -> Double.longBitsToDouble(h.get()))
                .description(metric.description())
                .tags(tags);
        if (metric.unit() != null) {
            b.baseUnit(metric.unit());
        }
        b.register(registry);
        return holder;
    }
}
