package dev.sextant.dl4j.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
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

/** A small dl4j-spark setup for the tests: Spark in {@code local[2]}, a 3-class MLP, seeded data. */
final class SparkTraining {
    static final int WORKERS = 2;
    static final int BATCH = 16;
    static final int AVERAGING_FREQUENCY = 2;

    private SparkTraining() {
    }

    /** Spark in this JVM with two task slots, no UI, bound to loopback. */
    static JavaSparkContext localSpark() {
        SparkConf conf = new SparkConf().setMaster("local[" + WORKERS + "]").setAppName("sextant-spark-test")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        return new JavaSparkContext(conf);
    }

    static MultiLayerConfiguration mlp() {
        return new NeuralNetConfiguration.Builder().seed(42).dataType(DataType.FLOAT).updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build();
    }

    /** The same network as {@link #mlp()}, as a ComputationGraph. */
    static ComputationGraphConfiguration graph() {
        return new NeuralNetConfiguration.Builder().seed(42).dataType(DataType.FLOAT).updater(new Sgd(0.1))
                .graphBuilder().addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out").build();
    }

    /**
     * Parameter averaging over {@value #WORKERS} workers, {@value #BATCH} examples per mini-batch,
     * averaging every {@value #AVERAGING_FREQUENCY} mini-batches: each averaging round is
     * {@value #WORKERS} tasks (partitions) of {@value #AVERAGING_FREQUENCY} steps each.
     */
    static ParameterAveragingTrainingMaster trainingMaster() {
        return new ParameterAveragingTrainingMaster.Builder(WORKERS, BATCH)
                .batchSizePerWorker(BATCH).averagingFrequency(AVERAGING_FREQUENCY).workerPrefetchNumBatches(0)
                .rngSeed(7).build();
    }

    /** {@code batches} mini-batches of {@value #BATCH} examples: 4 features, the class of the largest of the first 3. */
    static JavaRDD<DataSet> data(JavaSparkContext sc, int batches) {
        Random random = new Random(11);
        List<DataSet> list = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            INDArray x = Nd4j.zeros(DataType.FLOAT, BATCH, 4);
            INDArray y = Nd4j.zeros(DataType.FLOAT, BATCH, 3);
            for (int i = 0; i < BATCH; i++) {
                int best = 0;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < 4; j++) {
                    double v = random.nextGaussian();
                    x.putScalar(i, j, v);
                    if (j < 3 && v > max) {
                        max = v;
                        best = j;
                    }
                }
                y.putScalar(i, best, 1);
            }
            list.add(new DataSet(x, y));
        }
        return sc.parallelize(list, WORKERS);
    }
}
