package dev.sextant.dl4j.parallel;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A seeded float64 MLP and graph (6 inputs, 5 tanh, 3 softmax classes), batches for them, and a wrapper. */
final class ParallelNets {
    static final int IN = 6;
    static final int OUT = 3;

    private ParallelNets() {
    }

    static MultiLayerNetwork mlp(long seed, double learningRate) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed).updater(new Sgd(learningRate)).weightInit(WeightInit.XAVIER).dataType(DataType.DOUBLE)
                .list()
                .layer(new DenseLayer.Builder().nIn(IN).nOut(5).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(OUT)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static ComputationGraph graph(long seed, double learningRate) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed).updater(new Sgd(learningRate)).weightInit(WeightInit.XAVIER).dataType(DataType.DOUBLE)
                .graphBuilder()
                .addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(IN).nOut(5).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(OUT)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** {@code count} batches of {@code size} rows: Gaussian features, the class a noisy function of them. */
    static List<DataSet> batches(long seed, int count, int size) {
        Random r = new Random(seed);
        List<DataSet> out = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            double[][] x = new double[size][IN];
            double[][] y = new double[size][OUT];
            for (int i = 0; i < size; i++) {
                double s = 0;
                for (int j = 0; j < IN; j++) {
                    x[i][j] = r.nextGaussian();
                    s += x[i][j] * (j + 1);
                }
                int c = Math.floorMod((int) Math.floor(s / 3 + r.nextGaussian()), OUT);
                y[i][c] = 1;
            }
            out.add(new DataSet(Nd4j.create(x).castTo(DataType.DOUBLE), Nd4j.create(y).castTo(DataType.DOUBLE)));
        }
        return out;
    }

    static ParallelWrapper wrapper(org.deeplearning4j.nn.api.Model net, int workers, int averagingFrequency) {
        return new ParallelWrapper.Builder<>(net)
                .workers(workers)
                .prefetchBuffer(0)
                .averagingFrequency(averagingFrequency)
                .trainingMode(ParallelWrapper.TrainingMode.AVERAGING)
                .build();
    }

    /** The rows of {@code batches} in order, as one batch. */
    static DataSet concat(List<DataSet> batches) {
        INDArray[] f = batches.stream().map(DataSet::getFeatures).toArray(INDArray[]::new);
        INDArray[] l = batches.stream().map(DataSet::getLabels).toArray(INDArray[]::new);
        return new DataSet(Nd4j.vstack(f), Nd4j.vstack(l));
    }
}
