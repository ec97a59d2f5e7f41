package dev.sextant.dl4j.parallel;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code worker} label of per-worker series, added by a meter filter on the shared registry.
 *
 * <p>A {@link dev.sextant.dl4j.SextantListener} labels its series {@code run} and {@code model}
 * only. Worker i ≥ 1's listener is built with the model name {@code <model>::worker-i}; this filter
 * turns that into {@code model="<model>", worker="i"}. Series of worker 0's listener (built with
 * the model name as configured) get {@code worker="0"}; the cross-worker series
 * ({@code sextant_worker_*}) and the Spark executor's own series ({@code sextant_spark_*}) get no
 * worker label. The mapping depends on the meter's id alone,
 * as Micrometer requires (it caches filtered ids by their unfiltered id). Values are worker
 * indices 0..n−1: bounded by the number of workers.
 *
 * <p>Used by {@link ParallelSextant} and by Sextant's Spark listener (whose workers are the task
 * slots of an executor).
 */
public final class WorkerLabel implements MeterFilter {
    /** The label's name. */
    public static final String LABEL = "worker";
    private static final String MARKER = "::worker-";
    private static final String CROSS_WORKER_PREFIX = "sextant.worker.";
    private static final String SPARK_EXECUTOR_PREFIX = "sextant.spark.";

    /**
     * The model name a worker's listener is built with so that this filter labels its series
     * {@code model="<model>", worker="<worker>"}.
     */
    public static String modelName(String model, int worker) {
        return model + MARKER + worker;
    }

    /**
     * Removes every {@code sextant_*} series labelled {@code worker}: before a new listener takes
     * over the worker (its gauges would otherwise find the old ones registered under the same labels).
     */
    public static void removeSeries(MeterRegistry registry, int worker) {
        String label = Integer.toString(worker);
        for (Meter m : registry.getMeters()) {
            if (label.equals(m.getId().getTag(LABEL)) && m.getId().getName().startsWith("sextant.")) {
                registry.remove(m);
            }
        }
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        String name = id.getName();
        if (!name.startsWith("sextant.") || name.startsWith(CROSS_WORKER_PREFIX) || name.startsWith(SPARK_EXECUTOR_PREFIX)
                || id.getTag(LABEL) != null) {
            return id;
        }
        String model = id.getTag("model");
        if (model == null) {
            return id;
        }
        int cut = model.lastIndexOf(MARKER);
        if (cut < 0) {
            return id.withTag(Tag.of(LABEL, "0"));
        }
        List<Tag> tags = new ArrayList<>();
        for (Tag t : id.getTagsAsIterable()) {
            tags.add(t.getKey().equals("model") ? Tag.of("model", model.substring(0, cut)) : t);
        }
        tags.add(Tag.of(LABEL, model.substring(cut + MARKER.length())));
        return id.replaceTags(Tags.of(tags));
    }
}
