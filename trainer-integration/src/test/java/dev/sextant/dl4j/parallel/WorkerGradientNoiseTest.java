package dev.sextant.dl4j.parallel;

import dev.sextant.export.MetricsExporter;
import dev.sextant.probe.noise.NoiseScaleEstimate;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cross-worker estimator on hand-made gradients: the closed form, and the rounds it refuses. */
class WorkerGradientNoiseTest {
    private final PrometheusMeterRegistry registry = MetricsExporter.newRegistry();
    private final WorkerGradientNoise noise = new WorkerGradientNoise(2, 1,
            new MetricsExporter(registry, "r", "m", List.of()));
    private final List<NoiseScaleEstimate> seen = new ArrayList<>();
    private final Object fit = new Object();

    WorkerGradientNoiseTest() {
        noise.observe((round, e, p) -> seen.add(e));
    }

    private static INDArray v(double... x) {
        return Nd4j.createFromArray(x).castTo(DataType.DOUBLE);
    }

    /**
     * Two workers with b = 4 examples, batch-summed gradients 4·(1, 0) and 4·(3, 2): means g₁ = (1, 0),
     * g₂ = (3, 2), ḡ = (2, 1), Q = ‖(−1,−1)‖² + ‖(1,1)‖² = 4. Appendix A.1 in micro-batch form:
     * tr(Σ) = b·Q/(k−1) = 16, |G|² = ‖ḡ‖² − Q/(k(k−1)) = 5 − 2 = 3, B_simple = 16/3. Exact up to
     * float64 rounding of small integers and a division by 3 (1e-12).
     */
    @Test
    void twoWorkersGiveTheClosedFormOfAppendixA1() {
        INDArray w = v(0.5, -0.5);
        noise.report(fit, 0, 0, v(4, 0), w, 4);
        assertTrue(seen.isEmpty(), "the round completes only when both workers reported");
        noise.report(fit, 0, 1, v(12, 8), w.dup(), 4);
        NoiseScaleEstimate e = seen.get(0);
        assertNotNull(e);
        assertEquals(16, e.trace(), 1e-12);
        assertEquals(3, e.signal(), 1e-12);
        assertEquals(16.0 / 3, registry.get("sextant.worker.gradient.noise.scale").gauge().value(), 1e-12);
        assertEquals(1.0, registry.get("sextant.worker.noise.scale.valid").gauge().value());
    }

    /** Parameters that differ in one bit of one element: not the same-parameters estimator, so NaN and valid 0. */
    @Test
    void differentParametersMakeTheRoundInvalid() {
        INDArray w = v(0.5, -0.5);
        noise.report(fit, 0, 0, v(4, 0), w, 4);
        noise.report(fit, 0, 1, v(12, 8), v(0.5, Math.nextUp(-0.5)), 4);
        assertNull(seen.get(0));
        assertTrue(Double.isNaN(registry.get("sextant.worker.gradient.noise.scale").gauge().value()));
        assertEquals(0.0, registry.get("sextant.worker.noise.scale.valid").gauge().value());
    }

    /** A replica of another size, or another batch size: an invalid round, never an exception. */
    @Test
    void mismatchedReplicasAndBatchSizesAreReportedNotThrown() {
        noise.report(fit, 0, 0, v(4, 0), v(0.5, -0.5), 4);
        noise.report(fit, 0, 1, v(12, 8, 1), v(0.5, -0.5, 1), 4);
        noise.report(fit, 1, 0, v(4, 0), v(0.5, -0.5), 4);
        noise.report(fit, 1, 1, v(6, 4), v(0.5, -0.5), 2);
        assertEquals(2, seen.size());
        assertNull(seen.get(0));
        assertNull(seen.get(1));
    }

    /** A round one worker never finished (the short last round) is dropped when the next begins. */
    @Test
    void anIncompleteRoundIsDropped() {
        INDArray w = v(0.5, -0.5);
        noise.report(fit, 0, 0, v(4, 0), w, 4);
        noise.report(new Object(), 0, 0, v(4, 0), w, 4);
        assertTrue(seen.isEmpty(), "a new fit's round 0 is not the old one's");
        noise.report(fit, 0, 1, v(12, 8), w, 4);
        assertTrue(seen.isEmpty());
        assertEquals(0, noise.completedRounds());
    }
}
