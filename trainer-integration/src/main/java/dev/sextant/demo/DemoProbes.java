package dev.sextant.demo;

import dev.sextant.dl4j.SextantListener;
import dev.sextant.probe.curvature.BatchSharpnessProbe;
import dev.sextant.probe.curvature.HessianTraceProbe;
import dev.sextant.probe.curvature.PreconditionedSharpnessProbe;
import dev.sextant.probe.curvature.SamSharpnessProbe;
import dev.sextant.probe.curvature.SharpnessProbe;
import dev.sextant.probe.noise.GradientNoiseScaleProbe;
import dev.sextant.probe.noise.GradientTestsProbe;

/**
 * The probes the demo adds to the listener's defaults (progress and weight geometry), in two
 * families with their own intervals:
 * <ul>
 *   <li>curvature, every {@code --curvature-every} steps: top Hessian eigenvalue (Lanczos), batch
 *       sharpness, Hessian trace (Hutchinson), SAM sharpness, and for Adam the preconditioned
 *       sharpness whose edge-of-stability threshold is 38/η;</li>
 *   <li>gradient noise, every {@code --noise-every} steps: the gradient noise scale B_simple and
 *       the norm, inner-product and orthogonality tests with the signal-to-noise ratio.</li>
 * </ul>
 * Each family runs on the current mini-batch with the probes' default settings; an interval of 0
 * leaves the family out.
 */
final class DemoProbes {
    private DemoProbes() {
    }

    static void addTo(SextantListener.Builder listener, TrainOptions o) {
        int c = o.curvatureEvery();
        if (c > 0) {
            listener.probe(SharpnessProbe.builder().seed(o.seed()).build(), c);
            listener.probe(new BatchSharpnessProbe(), c);
            if (o.optimizer() == OptimizerKind.ADAM) {
                listener.probe(PreconditionedSharpnessProbe.builder().seed(o.seed()).build(), c);
            }
            listener.probe(new HessianTraceProbe(), c);
            listener.probe(new SamSharpnessProbe(), c);
        }
        int n = o.noiseEvery();
        if (n > 0) {
            listener.probe(GradientNoiseScaleProbe.withDefaults(), n);
            listener.probe(GradientTestsProbe.withDefaults(), n);
        }
    }
}
