package dev.sextant.dl4j;

import dev.sextant.probe.OptimizerState;
import dev.sextant.probe.ParamLayout;
import dev.sextant.probe.ParamSegment;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizerIntrospectionTest {

    @Test
    void adamMomentsFromSeveralUpdaterBlocksReproduceTheAppliedUpdate() {
        // Weights and biases with different Adam learning rates: DL4J splits the updater into one
        // block per run of equal configuration ([W][b][W][b]), each with its own [m | v].
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .updater(new Adam(0.01)).biasUpdater(new Adam(0.02)).dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(TinyNets.IN).nOut(5).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(TinyNets.OUT)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        for (DataSet ds : TinyNets.batches(1, 4, 8)) {
            net.fit(ds);
        }
        assertTrue(((BaseMultiLayerUpdater<?>) net.getUpdater()).getUpdaterBlocks().size() > 1, "several blocks");
        NetworkAccess access = NetworkAccess.of(net);
        int lastIteration = net.getIterationCount() - 1;
        OptimizerState st = OptimizerIntrospection.read(access, lastIteration, 0);
        long p = net.numParams();
        INDArray m = st.stateView().get(NDArrayIndex.interval(0, p));
        INDArray v = st.stateView().get(NDArrayIndex.interval(p, 2 * p));
        // Adam's step (DL4J AdamUpdater): Δw = lr·√(1−β2ᵗ)/(1−β1ᵗ) · m/(√v + ε), t = iteration + 1.
        // The gradient view after fit holds that Δw; agreement to float32 rounding (1e-4 relative)
        // shows m and v are in parameter order.
        ParamLayout layout = access.layout();
        long t = st.t();
        for (ParamSegment s : layout.segments()) {
            double lr = s.param().equals("b") ? 0.02 : 0.01;
            double alpha = lr * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
            INDArray expected = layout.view(m, s).div(Transforms.sqrt(layout.view(v, s), true).addi(1e-8)).muli(alpha);
            INDArray applied = layout.view(net.getFlattenedGradients(), s);
            double rel = expected.sub(applied).norm2Number().doubleValue() / applied.norm2Number().doubleValue();
            assertTrue(rel < 1e-4, s + " relative difference " + rel);
        }
        assertEquals(0.9, st.beta1());
        assertEquals(OptimizerState.Kind.ADAM, st.kind());
    }

    @Test
    void learningRateFollowsTheSchedule() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .updater(new Adam(new ExponentialSchedule(ScheduleType.ITERATION, 0.1, 0.5))).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(TinyNets.IN).nOut(TinyNets.OUT)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        OptimizerState st = OptimizerIntrospection.read(NetworkAccess.of(net), 3, 0);
        assertEquals(0.1 * Math.pow(0.5, 3), st.learningRate(), 1e-15);
        assertEquals(4, st.t());
    }
}
