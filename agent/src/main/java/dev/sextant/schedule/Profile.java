package dev.sextant.schedule;

import dev.sextant.probe.curvature.BatchSharpnessProbe;
import dev.sextant.probe.curvature.HessianTraceProbe;
import dev.sextant.probe.curvature.PreconditionedSharpnessProbe;
import dev.sextant.probe.curvature.SamSharpnessProbe;
import dev.sextant.probe.curvature.SharpnessProbe;
import dev.sextant.probe.drift.WeightGeometryProbe;
import dev.sextant.probe.noise.GradientNoiseScaleProbe;
import dev.sextant.probe.noise.GradientTestsProbe;
import dev.sextant.probe.progress.TrainingProgressProbe;

import java.util.ArrayList;
import java.util.List;

/** A ready set of probes with their intervals. */
public enum Profile {
    /** Progress and weight geometry every {@code every} steps: cheap enough for every run. */
    DEFAULT,
    /**
     * Everything: the default probes, plus gradient noise (noise scale, gradient tests) and batch
     * sharpness every {@code noiseEvery} steps, top Hessian eigenvalues, preconditioned sharpness
     * and SAM sharpness every {@code sharpnessEvery}, and the Hessian trace every {@code traceEvery}.
     */
    FULL;

    /**
     * The intervals, in steps, of the probe families.
     *
     * @param every          progress and weight geometry (default 10)
     * @param noiseEvery     gradient noise and batch sharpness (default 50)
     * @param sharpnessEvery top eigenvalues, preconditioned and SAM sharpness (default 500)
     * @param traceEvery     Hessian trace (default 1000)
     */
    public record Intervals(int every, int noiseEvery, int sharpnessEvery, int traceEvery) {
        public static final Intervals DEFAULTS = new Intervals(10, 50, 500, 1000);

        public Intervals {
            check("every", every);
            check("noiseEvery", noiseEvery);
            check("sharpnessEvery", sharpnessEvery);
            check("traceEvery", traceEvery);
        }

        private static void check(String field, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(field + ": " + value + " steps; an interval must be at least 1");
            }
        }
    }

    /** New probe instances for this profile (probes keep state such as warm starts: one set per listener). */
    public List<ProbeRunner.Scheduled> probes(Intervals i) {
        List<ProbeRunner.Scheduled> out = new ArrayList<>();
        out.add(new ProbeRunner.Scheduled(new TrainingProgressProbe(), Schedule.every(i.every())));
        out.add(new ProbeRunner.Scheduled(new WeightGeometryProbe(), Schedule.every(i.every())));
        if (this == FULL) {
            out.addAll(noise(i.noiseEvery()));
            out.addAll(curvature(i.noiseEvery(), i.sharpnessEvery(), i.traceEvery()));
        }
        return out;
    }

    /** The gradient-noise family: noise scale and the gradient tests, every {@code every} steps. */
    public static List<ProbeRunner.Scheduled> noise(int every) {
        return List.of(new ProbeRunner.Scheduled(GradientNoiseScaleProbe.withDefaults(), Schedule.every(every)),
                new ProbeRunner.Scheduled(GradientTestsProbe.withDefaults(), Schedule.every(every)));
    }

    /**
     * The curvature family: batch sharpness (one product) every {@code batchSharpnessEvery} steps;
     * top-3 eigenvalues, preconditioned and SAM sharpness every {@code sharpnessEvery}; the Hessian
     * trace every {@code traceEvery}.
     */
    public static List<ProbeRunner.Scheduled> curvature(int batchSharpnessEvery, int sharpnessEvery, int traceEvery) {
        return List.of(
                new ProbeRunner.Scheduled(new BatchSharpnessProbe(), Schedule.every(batchSharpnessEvery)),
                new ProbeRunner.Scheduled(SharpnessProbe.builder().topK(3).build(), Schedule.every(sharpnessEvery)),
                new ProbeRunner.Scheduled(PreconditionedSharpnessProbe.builder().build(), Schedule.every(sharpnessEvery)),
                new ProbeRunner.Scheduled(new SamSharpnessProbe(), Schedule.every(sharpnessEvery)),
                new ProbeRunner.Scheduled(new HessianTraceProbe(), Schedule.every(traceEvery)));
    }
}
