package dev.sextant.dl4j;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small seeded networks and data for listener tests: 6 inputs, 5 hidden (tanh), 3 classes. */
final class TinyNets {
    static final int IN = 6;
    static final int HIDDEN = 5;
    static final int OUT = 3;

    private TinyNets() {
    }

    static MultiLayerNetwork mlp(long seed, IUpdater updater, double dropout) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(seed).updater(updater).weightInit(WeightInit.XAVIER).dataType(DataType.FLOAT)
                .list();
        DenseLayer.Builder hidden = new DenseLayer.Builder().nIn(IN).nOut(HIDDEN).activation(Activation.TANH);
        if (dropout > 0) {
            hidden.dropOut(1 - dropout);
        }
        MultiLayerConfiguration conf = b.layer(hidden.build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(HIDDEN).nOut(OUT)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * The same shape with batch normalisation after the hidden layer (its running mean and
     * variance are parameters that the update, not the gradient, moves) and L2 weight decay.
     */
    static MultiLayerNetwork mlpWithBatchNormAndL2(long seed, IUpdater updater, double dropout) {
        DenseLayer.Builder hidden = new DenseLayer.Builder().nIn(IN).nOut(HIDDEN).activation(Activation.TANH);
        if (dropout > 0) {
            hidden.dropOut(1 - dropout);
        }
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed).updater(updater).weightInit(WeightInit.XAVIER).dataType(DataType.FLOAT).l2(1e-2)
                .list()
                .layer(hidden.build())
                .layer(new BatchNormalization.Builder().nOut(HIDDEN).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(HIDDEN).nOut(OUT)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static MultiLayerNetwork mlp(long seed) {
        return mlp(seed, new Sgd(0.1), 0);
    }

    static ComputationGraph graph(long seed, IUpdater updater) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed).updater(updater).weightInit(WeightInit.XAVIER).dataType(DataType.FLOAT)
                .graphBuilder()
                .addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(IN).nOut(HIDDEN).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(HIDDEN).nOut(OUT)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    /** {@code count} batches of {@code batch} examples: class = argmax of the first 3 features. */
    static List<DataSet> batches(long seed, int count, int batch) {
        Random r = new Random(seed);
        List<DataSet> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            float[][] x = new float[batch][IN];
            float[][] y = new float[batch][OUT];
            for (int i = 0; i < batch; i++) {
                for (int j = 0; j < IN; j++) {
                    x[i][j] = (float) r.nextGaussian();
                }
                int c = 0;
                for (int j = 1; j < OUT; j++) {
                    if (x[i][j] > x[i][c]) {
                        c = j;
                    }
                }
                y[i][c] = 1;
            }
            out.add(new DataSet(Nd4j.create(x), Nd4j.create(y)));
        }
        return out;
    }

    static INDArray paramsCopy(org.deeplearning4j.nn.api.Model m) {
        return m.params().dup();
    }
}
