package dev.sextant.e2e.sample;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * An ordinary DL4J training program, as a user would write it: a MultiLayerNetwork trained batch by
 * batch (its listeners replaced half-way), then a ComputationGraph trained from an iterator. All
 * randomness is seeded, so two runs give the same parameters bit for bit.
 *
 * <pre>
 * SampleTraining &lt;output dir&gt; &lt;linger seconds&gt;
 * </pre>
 * Writes the final parameters to {@code mlp.params} and {@code graph.params} (ND4J binary format),
 * prints {@code trained mlp=<iterations> graph=<iterations>}, then stays alive until standard input
 * closes or {@code linger seconds} pass (0: exits at once), and returns from {@code main}.
 */
public final class SampleTraining {
    public static final long SEED = 20240611L;
    public static final int IN = 12;
    public static final int HIDDEN = 24;
    public static final int OUT = 4;
    static final int BATCH = 32;
    static final int BATCHES = 8;
    /** Epochs of the MultiLayerNetwork before and after its listeners are replaced (2 × 6 × 8 = 96 steps). */
    static final int MLP_EPOCHS_EACH = 6;
    /** Epochs of the ComputationGraph (7 × 8 = 56 steps). */
    static final int GRAPH_EPOCHS = 7;

    private SampleTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int lingerSeconds = Integer.parseInt(args[1]);
        Files.createDirectories(out);
        List<DataSet> batches = batches();

        MultiLayerNetwork mlp = new MultiLayerNetwork(mlpConfiguration());
        mlp.init();
        mlp.setListeners(new ScoreIterationListener(1000));
        for (int epoch = 0; epoch < MLP_EPOCHS_EACH; epoch++) {
            batches.forEach(mlp::fit);
        }
        // Replaces the whole listener list, as user code may do mid-training.
        mlp.setListeners(new ScoreIterationListener(500));
        for (int epoch = 0; epoch < MLP_EPOCHS_EACH; epoch++) {
            batches.forEach(mlp::fit);
        }

        ComputationGraph graph = new ComputationGraph(graphConfiguration());
        graph.init();
        graph.fit(new ListDataSetIterator<>(batches, 1), GRAPH_EPOCHS);

        write(mlp.params(), out.resolve("mlp.params"));
        write(graph.params(), out.resolve("graph.params"));
        System.out.println("trained mlp=" + mlp.getIterationCount() + " graph=" + graph.getIterationCount());
        System.out.flush();
        linger(lingerSeconds);
    }

    private static MultiLayerConfiguration mlpConfiguration() {
        return new NeuralNetConfiguration.Builder()
                .seed(SEED).updater(new Adam(1e-2)).weightInit(WeightInit.XAVIER).dataType(DataType.FLOAT)
                .list()
                .layer(new DenseLayer.Builder().nIn(IN).nOut(HIDDEN).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(HIDDEN).nOut(OUT)
                        .activation(Activation.SOFTMAX).build())
                .build();
    }

    private static ComputationGraphConfiguration graphConfiguration() {
        return new NeuralNetConfiguration.Builder()
                .seed(SEED + 1).updater(new Adam(1e-2)).weightInit(WeightInit.XAVIER).dataType(DataType.FLOAT)
                .graphBuilder()
                .addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(IN).nOut(HIDDEN).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(HIDDEN).nOut(OUT)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out")
                .build();
    }

    /** Gaussian features; the class is the argmax of a fixed random linear map of them. */
    private static List<DataSet> batches() {
        Random r = new Random(SEED);
        double[][] map = new double[OUT][IN];
        for (double[] row : map) {
            for (int j = 0; j < IN; j++) {
                row[j] = r.nextGaussian();
            }
        }
        List<DataSet> out = new ArrayList<>();
        for (int k = 0; k < BATCHES; k++) {
            float[][] x = new float[BATCH][IN];
            float[][] y = new float[BATCH][OUT];
            for (int i = 0; i < BATCH; i++) {
                for (int j = 0; j < IN; j++) {
                    x[i][j] = (float) r.nextGaussian();
                }
                int best = 0;
                double bestScore = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < OUT; c++) {
                    double s = 0;
                    for (int j = 0; j < IN; j++) {
                        s += map[c][j] * x[i][j];
                    }
                    if (s > bestScore) {
                        bestScore = s;
                        best = c;
                    }
                }
                y[i][best] = 1f;
            }
            out.add(new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y)));
        }
        return out;
    }

    private static void write(org.nd4j.linalg.api.ndarray.INDArray params, Path file) throws IOException {
        try (OutputStream os = Files.newOutputStream(file);
             DataOutputStream dos = new DataOutputStream(new BufferedOutputStream(os))) {
            Nd4j.write(params, dos);
        }
    }

    /** Waits for standard input to close, at most {@code seconds}. */
    private static void linger(int seconds) throws InterruptedException {
        if (seconds <= 0) {
            return;
        }
        Thread stdin = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // discard
                }
            } catch (IOException ignored) {
                // closed
            }
        }, "sample-stdin");
        stdin.setDaemon(true);
        stdin.start();
        stdin.join(seconds * 1000L);
    }
}
