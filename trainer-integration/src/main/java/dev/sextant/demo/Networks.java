package dev.sextant.demo;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The demo's networks for 28×28×1 images given as 784 features, 10 classes, softmax output with
 * multi-class cross-entropy (MCXENT), float32, He initialisation before ReLU and Xavier before
 * the softmax. The seed fixes the initial weights.
 */
public final class Networks {
    public static final int SIDE = 28;
    public static final int INPUTS = SIDE * SIDE;
    public static final int CLASSES = 10;

    private Networks() {
    }

    /** A new, initialised network of the given kind. */
    public static MultiLayerNetwork build(ModelKind kind, IUpdater updater, long seed) {
        MultiLayerConfiguration conf = switch (kind) {
            case MLP -> mlp(updater, seed);
            case CNN -> cnn(updater, seed);
        };
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** 784-256-256-10: two ReLU layers of 256 units, softmax output (269,322 parameters). */
    public static MultiLayerConfiguration mlp(IUpdater updater, long seed) {
        return base(updater, seed)
                .layer(new DenseLayer.Builder().nIn(INPUTS).nOut(256).activation(Activation.RELU)
                        .weightInit(WeightInit.RELU).build())
                .layer(new DenseLayer.Builder().nOut(256).activation(Activation.RELU)
                        .weightInit(WeightInit.RELU).build())
                .layer(output())
                .setInputType(InputType.feedForward(INPUTS))
                .build();
    }

    /**
     * conv 5×5×8 → max-pool 2×2 → conv 5×5×16 → max-pool 2×2 → dense 64 → softmax 10; the image
     * goes 28 → 24 → 12 → 8 → 4, so the dense layer sees 4·4·16 = 256 values (20,522 parameters).
     */
    public static MultiLayerConfiguration cnn(IUpdater updater, long seed) {
        return base(updater, seed)
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(8).stride(1, 1).activation(Activation.RELU)
                        .weightInit(WeightInit.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                        .stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(16).stride(1, 1).activation(Activation.RELU)
                        .weightInit(WeightInit.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                        .stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(64).activation(Activation.RELU)
                        .weightInit(WeightInit.RELU).build())
                .layer(output())
                .setInputType(InputType.convolutionalFlat(SIDE, SIDE, 1))
                .build();
    }

    private static NeuralNetConfiguration.ListBuilder base(IUpdater updater, long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(updater)
                .dataType(DataType.FLOAT)
                .list();
    }

    private static OutputLayer output() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build();
    }
}
