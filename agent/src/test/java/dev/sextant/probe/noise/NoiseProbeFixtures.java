package dev.sextant.probe.noise;

import dev.sextant.probe.MetricSpec;
import dev.sextant.probe.ParamLayout;
import dev.sextant.probe.ParamSegment;
import dev.sextant.probe.ProbedModel;
import dev.sextant.probe.Reading;
import dev.sextant.probe.Readings;
import dev.sextant.testing.TestStep;
import dev.sextant.validation.NoisyGradientModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Random;

/** Batches of Gaussian per-example gradients over two segments (0/W: 6, 0/b: 3), and reading look-up. */
final class NoiseProbeFixtures {
    static final ParamLayout LAYOUT = new ParamLayout(List.of(
            new ParamSegment("0", "W", 0, 6), new ParamSegment("0", "b", 6, 3)));
    static final int P = 9;

    private final Random rng;
    private final double[][] factor = new double[P][P];
    private final double[] mean = new double[P];

    NoiseProbeFixtures(long seed) {
        rng = new Random(seed);
        for (int i = 0; i < P; i++) {
            for (int c = 0; c < P; c++) {
                factor[i][c] = rng.nextGaussian() / 3;
            }
            mean[i] = 0.3 * rng.nextGaussian();
        }
    }

    /** A fresh batch of {@code rows} per-example gradients μ + Az. */
    NoisyGradientModel batch(int rows) {
        return NoisyGradientModel.gaussian(mean, factor, rows, rng);
    }

    /** The step a probe sees: float32 parameters at 0, no update, the given model's batch. */
    static TestStep step(ProbedModel model) {
        TestStep s = new TestStep();
        s.layout = LAYOUT;
        s.params = Nd4j.zeros(DataType.FLOAT, 1, P);
        s.initialParams = s.params;
        s.update = Nd4j.zeros(DataType.FLOAT, 1, P);
        s.model = model;
        s.batchSize = model.batchSize();
        return s;
    }

    /** The value a probe wrote for {@code metric} with these label values. */
    static double value(Readings readings, MetricSpec metric, String... labels) {
        for (Reading r : readings.list()) {
            if (r.metric().equals(metric) && r.labelValues().equals(List.of(labels))) {
                return r.value();
            }
        }
        throw new AssertionError("no " + metric.name() + List.of(labels) + " in " + readings.list());
    }
}
