package dev.sextant.report;

import dev.sextant.probe.curvature.BatchSharpnessProbe;
import dev.sextant.probe.curvature.CurvatureMetrics;
import dev.sextant.probe.curvature.PreconditionedSharpnessProbe;
import dev.sextant.probe.curvature.SharpnessProbe;
import dev.sextant.probe.drift.WeightGeometryProbe;
import dev.sextant.probe.noise.GradientNoiseScaleProbe;
import dev.sextant.probe.progress.TrainingProgressProbe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the run report's table says about one run: its extent, the curvature against the stability
 * threshold, the gradient noise scale over time, the largest drift per layer, conditions, probe
 * failures and Sextant's measured overhead.
 *
 * @param run        run id
 * @param model      model name
 * @param firstStep  first step of any line
 * @param lastStep   last step of any line
 * @param samples    sample lines
 * @param lastEpoch  last epoch logged, -1 when none
 * @param firstTime  earliest time of a line (ms since the Unix epoch), 0 when unknown
 * @param lastTime   latest time of a line, 0 when unknown
 * @param probes     probe names, in order of first appearance
 * @param progress   loss, learning rate, batch size
 * @param curvature  sharpness, preconditioned and batch sharpness, threshold, ratios
 * @param noise      gradient noise scale (whole model), smoothed and raw, and its ratio to the batch size
 * @param drift      per layer and parameter kind
 * @param conditions condition lines, in order
 * @param failures   probe failures, per probe
 * @param overhead   probe durations per probe; empty when the log records none
 * @param intervals  the overhead governor's interval changes, per probe; empty when there were none
 */
public record RunSummary(String run, String model, long firstStep, long lastStep, int samples, int lastEpoch,
                         long firstTime, long lastTime, List<String> probes, List<Track> progress,
                         List<Track> curvature, List<Track> noise, List<Drift> drift, List<LogEvent> conditions,
                         List<Failures> failures, List<Overhead> overhead, List<Intervals> intervals) {

    /**
     * The drift of one layer's parameter kind.
     *
     * @param largestDistance   largest ‖w − w₀‖ and its step (null when not logged or never finite)
     * @param lastNorm          ‖w‖ at the last sample, NaN when not logged
     * @param largestUpdateRatio largest ‖Δw‖/‖w‖ and its step (null when not logged or never finite)
     */
    public record Drift(String layer, String param, Track.Point largestDistance, double lastNorm,
                        Track.Point largestUpdateRatio) {
    }

    /** The failures of one probe: how many, when, and the first error. */
    public record Failures(String probe, int count, long firstStep, long lastStep, String firstError) {
    }

    /** How often the overhead governor changed one probe's interval, and the last interval it set. */
    public record Intervals(String probe, int changes, long lastStep, String lastInterval) {
    }

    /** The logged durations of one probe's calls, in seconds. */
    public record Overhead(String probe, int calls, double median, double max, double total) {
    }

    private static final Map<String, String> WHOLE_MODEL = Map.of("layer", "all", "param", "all");

    /** Summarises the events of {@code run} (events of other runs are ignored). */
    public static RunSummary of(String run, List<LogEvent> all) {
        List<LogEvent> events = all.stream().filter(e -> e.run().equals(run)).toList();
        if (events.isEmpty()) {
            throw new IllegalArgumentException("no events of run " + run);
        }
        long firstStep = Long.MAX_VALUE;
        long lastStep = Long.MIN_VALUE;
        int samples = 0;
        int lastEpoch = -1;
        long firstTime = Long.MAX_VALUE;
        long lastTime = 0;
        Set<String> probes = new LinkedHashSet<>();
        List<LogEvent> conditions = new ArrayList<>();
        Map<String, List<LogEvent>> failed = new LinkedHashMap<>();
        Map<String, List<Double>> durations = new LinkedHashMap<>();
        Map<String, List<LogEvent>> intervalChanges = new LinkedHashMap<>();
        for (LogEvent e : events) {
            firstStep = Math.min(firstStep, e.step());
            lastStep = Math.max(lastStep, e.step());
            if (e.time() > 0) {
                firstTime = Math.min(firstTime, e.time());
                lastTime = Math.max(lastTime, e.time());
            }
            if (!e.probe().isEmpty()) {
                probes.add(e.probe());
            }
            if (e.isSample()) {
                samples++;
                lastEpoch = Math.max(lastEpoch, e.epoch());
            } else if (e.event().equals("condition")) {
                conditions.add(e);
            } else if (e.event().equals("probe_failure")) {
                failed.computeIfAbsent(e.probe(), p -> new ArrayList<>()).add(e);
            } else if (e.event().equals("interval")) {
                intervalChanges.computeIfAbsent(e.probe(), p -> new ArrayList<>()).add(e);
            }
            if (!Double.isNaN(e.seconds())) {
                durations.computeIfAbsent(e.probe(), p -> new ArrayList<>()).add(e.seconds());
            }
        }
        String model = events.get(events.size() - 1).model();
        List<Track> progress = List.of(
                track(events, "loss", TrainingProgressProbe.LOSS.prometheusName(), Map.of()),
                track(events, "learning rate", TrainingProgressProbe.LEARNING_RATE.prometheusName(), Map.of()),
                track(events, "batch size", TrainingProgressProbe.BATCH_SIZE.prometheusName(), Map.of()));
        List<Track> curvature = List.of(
                track(events, "sharpness λ₁", SharpnessProbe.SHARPNESS.prometheusName(), Map.of()),
                track(events, "preconditioned sharpness",
                        PreconditionedSharpnessProbe.PRECONDITIONED_SHARPNESS.prometheusName(), Map.of()),
                track(events, "batch sharpness", BatchSharpnessProbe.BATCH_SHARPNESS.prometheusName(), Map.of()),
                track(events, "stability threshold", CurvatureMetrics.STABILITY_THRESHOLD.prometheusName(), Map.of()),
                track(events, "sharpness / threshold", CurvatureMetrics.EDGE_OF_STABILITY_RATIO.prometheusName(),
                        Map.of()),
                track(events, "batch sharpness / threshold", BatchSharpnessProbe.BATCH_SHARPNESS_RATIO.prometheusName(),
                        Map.of()));
        List<Track> noise = List.of(
                track(events, "noise scale (smoothed)", GradientNoiseScaleProbe.NOISE_SCALE_SMOOTHED.prometheusName(),
                        WHOLE_MODEL),
                track(events, "noise scale (raw)", GradientNoiseScaleProbe.NOISE_SCALE.prometheusName(), WHOLE_MODEL),
                track(events, "noise scale / batch size", GradientNoiseScaleProbe.BATCH_RATIO.prometheusName(),
                        Map.of()));
        List<Failures> failures = new ArrayList<>();
        failed.forEach((probe, list) -> failures.add(new Failures(probe, list.size(), list.get(0).step(),
                list.get(list.size() - 1).step(), list.get(0).text())));
        List<Overhead> overhead = new ArrayList<>();
        durations.forEach((probe, list) -> {
            double[] v = list.stream().mapToDouble(Double::doubleValue).toArray();
            overhead.add(new Overhead(probe, v.length, Track.median(v),
                    list.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                    list.stream().mapToDouble(Double::doubleValue).sum()));
        });
        List<Intervals> intervals = new ArrayList<>();
        intervalChanges.forEach((probe, list) -> {
            LogEvent last = list.get(list.size() - 1);
            intervals.add(new Intervals(probe, list.size(), last.step(), last.text()));
        });
        return new RunSummary(run, model, firstStep, lastStep, samples, lastEpoch, lastTime == 0 ? 0 : firstTime,
                lastTime, List.copyOf(probes), progress, curvature, noise,
                drift(events), List.copyOf(conditions), List.copyOf(failures), List.copyOf(overhead),
                List.copyOf(intervals));
    }

    /** Seconds the probes took in all, over the wall time between the earliest and latest line; NaN when unknown. */
    public double overheadShareOfWallTime() {
        double probeSeconds = overhead.stream().mapToDouble(Overhead::total).sum();
        double wallSeconds = (lastTime - firstTime) / 1000.0;
        return overhead.isEmpty() || wallSeconds <= 0 ? Double.NaN : probeSeconds / wallSeconds;
    }

    private static Track track(List<LogEvent> events, String label, String metric, Map<String, String> where) {
        List<Track.Point> points = new ArrayList<>();
        for (LogEvent e : events) {
            for (LoggedValue v : e.values()) {
                if (v.metric().equals(metric) && v.has(where)) {
                    points.add(new Track.Point(e.step(), v.value()));
                }
            }
        }
        return Track.of(label, metric, points);
    }

    private static List<Drift> drift(List<LogEvent> events) {
        String distance = WeightGeometryProbe.INIT_DISTANCE.prometheusName();
        String norm = WeightGeometryProbe.WEIGHT_NORM.prometheusName();
        String ratio = WeightGeometryProbe.UPDATE_RATIO.prometheusName();
        Map<List<String>, Track.Point[]> largest = new LinkedHashMap<>();
        Map<List<String>, Double> lastNorm = new LinkedHashMap<>();
        for (LogEvent e : events) {
            for (LoggedValue v : e.values()) {
                String layer = v.labels().get("layer");
                String param = v.labels().get("param");
                boolean drift = v.metric().equals(distance) || v.metric().equals(norm) || v.metric().equals(ratio);
                if (!drift || layer == null || param == null || layer.equals("all")) {
                    continue;
                }
                List<String> key = List.of(layer, param);
                Track.Point[] max = largest.computeIfAbsent(key, k -> new Track.Point[2]);
                if (v.metric().equals(norm)) {
                    lastNorm.put(key, v.value());
                    continue;
                }
                int slot = v.metric().equals(distance) ? 0 : 1;
                if (Double.isFinite(v.value()) && (max[slot] == null || v.value() > max[slot].value())) {
                    max[slot] = new Track.Point(e.step(), v.value());
                }
            }
        }
        List<Drift> out = new ArrayList<>();
        largest.forEach((key, max) -> out.add(new Drift(key.get(0), key.get(1), max[0],
                lastNorm.getOrDefault(key, Double.NaN), max[1])));
        return out;
    }
}
