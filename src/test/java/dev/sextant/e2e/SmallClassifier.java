package dev.sextant.e2e;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The end-to-end tests' training run: a small seeded classifier and its data. */
final class SmallClassifier {
    private SmallClassifier() {
    }

    /** 8 inputs, 16 tanh units (smooth, so finite differences see no kinks), 3 softmax classes; float32. */
    static MultiLayerNetwork network(long seed, IUpdater updater) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(seed).updater(updater).weightInit(WeightInit.XAVIER).dataType(DataType.FLOAT)
                .list()
                .layer(new DenseLayer.Builder().nIn(8).nOut(16).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    /** Seeded Gaussian inputs; the class is the argmax of the first three features. */
    static List<DataSet> batches(long seed, int count, int batchSize) {
        Random r = new Random(seed);
        List<DataSet> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            float[][] x = new float[batchSize][8];
            float[][] y = new float[batchSize][3];
            for (int i = 0; i < batchSize; i++) {
                for (int j = 0; j < 8; j++) {
                    x[i][j] = (float) r.nextGaussian();
                }
                int c = 0;
                for (int j = 1; j < 3; j++) {
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
}
