package dev.sextant.dl4j;

import dev.sextant.probe.BatchOracle;
import dev.sextant.probe.MetricSpec;
import dev.sextant.probe.Probe;
import dev.sextant.probe.Readings;
import dev.sextant.probe.StepView;
import dev.sextant.schedule.Profile;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * With the same seed, training with Sextant attached (every probe of the full profile at short
 * intervals, plus a probe that evaluates extra gradients and, in one variant, one that throws after
 * an evaluation) ends with bit-for-bit the same parameters (batch-norm running statistics among
 * them), updater state and per-step scores as training without it. DL4J workspaces are on (the
 * default) throughout.
 */
class NonInterferenceTest {

    /** Evaluates the loss gradient of the current batch at perturbed parameters, like a curvature probe. */
    static final class ExtraGradientProbe implements Probe {
        static final MetricSpec NORM = MetricSpec.global("sextant_test_extra_gradient_norm", null, "test");

        @Override public String name() { return "extra"; }
        @Override public List<MetricSpec> metrics() { return List.of(NORM); }

        @Override
        public void sample(StepView step, Readings out) {
            BatchOracle oracle = BatchOracle.wholeBatch(step);
            INDArray w = step.params().castTo(oracle.dataType()).addi(1e-3);
            INDArray g = w.ulike();
            oracle.gradient(w, g);
            out.put(NORM, g.norm2Number().doubleValue());
        }
    }

    /** Evaluates a gradient at perturbed parameters, then throws: what it touched must still be restored. */
    static final class ThrowingProbe implements Probe {
        @Override public String name() { return "throwing"; }
        @Override public List<MetricSpec> metrics() { return List.of(); }

        @Override
        public void sample(StepView step, Readings out) {
            BatchOracle oracle = BatchOracle.wholeBatch(step);
            INDArray w = step.params().castTo(oracle.dataType()).addi(1e-2);
            oracle.gradient(w, w.ulike());
            throw new IllegalStateException("probe failure after a gradient evaluation");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mln-sgd", "mln-nesterovs-dropout", "mln-adam-dropout", "cg-adam", "cg-sgd",
            "mln-adam-batchnorm-l2", "mln-sgd-batchnorm-l2-dropout-throwing"})
    void attachedRunEndsBitIdentical(String variant) {
        Run without = train(variant, false);
        Run with = train(variant, true);
        assertEquals(without.scores, with.scores, "per-step scores");
        assertEquals(without.params, with.params, "final parameters");
        assertEquals(without.updaterState, with.updaterState, "updater state");
    }

    record Run(List<Double> scores, INDArray params, INDArray updaterState) {
    }

    private static Run train(String variant, boolean attach) {
        IUpdater updater = variant.contains("sgd") ? new Sgd(0.1)
                : variant.contains("nesterovs") ? new Nesterovs(0.05, 0.9) : new Adam(1e-2);
        double dropout = variant.contains("dropout") ? 0.3 : 0;
        Model model = variant.startsWith("cg") ? TinyNets.graph(41, updater)
                : variant.contains("batchnorm") ? TinyNets.mlpWithBatchNormAndL2(41, updater, dropout)
                : TinyNets.mlp(41, updater, dropout);
        List<Double> scores = new ArrayList<>();
        org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(99);
        SextantListener.Builder b = SextantListener.builder().fixedIntervals().runId("ni").profile(Profile.FULL)
                .every(1).noiseEvery(1).sharpnessEvery(3).traceEvery(5).port(-1).eventLog(null)
                .probe(new ExtraGradientProbe(), 1);
        if (variant.contains("throwing")) {
            b.probe(new ThrowingProbe(), 1);
        }
        SextantListener sextant = attach ? b.build() : null;
        try {
            for (DataSet ds : TinyNets.batches(42, 25, 16)) {
                if (model instanceof MultiLayerNetwork mln) {
                    if (sextant != null && mln.getListeners().isEmpty()) {
                        mln.addListeners(sextant);
                    }
                    mln.fit(ds);
                } else {
                    ComputationGraph cg = (ComputationGraph) model;
                    if (sextant != null && cg.getListeners().isEmpty()) {
                        cg.addListeners(sextant);
                    }
                    cg.fit(ds);
                }
                scores.add(model.score());
            }
        } finally {
            if (sextant != null) {
                sextant.close();
            }
        }
        INDArray state = model instanceof MultiLayerNetwork mln ? mln.getUpdater().getStateViewArray()
                : ((ComputationGraph) model).getUpdater().getStateViewArray();
        return new Run(scores, model.params().dup(), state == null ? null : state.dup());
    }
}
