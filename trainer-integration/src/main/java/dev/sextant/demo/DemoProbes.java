package dev.sextant.demo;

import dev.sextant.dl4j.SextantListener;
import dev.sextant.schedule.ProbeRunner;
import dev.sextant.schedule.Profile;

import java.util.ArrayList;
import java.util.List;

/**
 * The probes the demo adds to the listener's defaults (progress and weight geometry), in two
 * families with their own intervals (the families of {@link Profile#FULL}):
 * <ul>
 *   <li>curvature, every {@code --curvature-every} steps: top Hessian eigenvalues (Lanczos),
 *       batch sharpness, SAM sharpness, the preconditioned sharpness (Adam, RMSProp), and the
 *       Hessian trace every second time;</li>
 *   <li>gradient noise, every {@code --noise-every} steps: the gradient noise scale B_simple and
 *       the norm, inner-product and orthogonality tests with the signal-to-noise ratio.</li>
 * </ul>
 * An interval of 0 leaves the family out. The overhead governor may stretch every interval
 * ({@code --budget}).
 */
final class DemoProbes {
    private DemoProbes() {
    }

    static void addTo(SextantListener.Builder listener, TrainOptions o) {
        List<ProbeRunner.Scheduled> probes = new ArrayList<>();
        int c = o.curvatureEvery();
        if (c > 0) {
            probes.addAll(Profile.curvature(c, c, 2 * c));
        }
        if (o.noiseEvery() > 0) {
            probes.addAll(Profile.noise(o.noiseEvery()));
        }
        for (ProbeRunner.Scheduled s : probes) {
            listener.probe(s.probe(), s.schedule().every());
        }
    }
}
