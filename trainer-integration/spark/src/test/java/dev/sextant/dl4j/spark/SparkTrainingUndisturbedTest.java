package dev.sextant.dl4j.spark;

import dev.sextant.e2e.PrometheusProcess;
import dev.sextant.schedule.Profile;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same dl4j-spark run with and without Sextant (full profile, every probe at every step, so the
 * curvature and noise probes' extra forward/backward passes run on every worker) ends with
 * bit-for-bit the same parameters.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SparkTrainingUndisturbedTest {
    private static final int BATCHES = 16;
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkTraining.localSpark();
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static INDArray train(boolean withSextant) throws Exception {
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, SparkTraining.mlp(), SparkTraining.trainingMaster());
        SparkSextant sextant = null;
        if (withSextant) {
            // Nothing listens at this port: pushes fail and are counted, training must not notice.
            sextant = SparkSextant.attach(sparkNet, SparkSettings.pushingTo("http://127.0.0.1:"
                            + PrometheusProcess.freeLoopbackPort()).runId("undisturbed").model("mlp")
                    .profile(Profile.FULL).every(1).noiseEvery(1).sharpnessEvery(1).traceEvery(1).fixedIntervals());
        }
        MultiLayerNetwork net = sparkNet.fit(SparkTraining.data(sc, BATCHES));
        if (sextant != null) {
            sextant.close();
            assertEquals(BATCHES, sextant.summary().steps(), "Sextant saw every step");
            // The probes that make extra passes did run on the workers (else bit-identity proves little).
            for (String metric : new String[] {"sextant.sharpness", "sextant.hessian.trace", "sextant.gradient.noise.trace"}) {
                double value = ExecutorSextant.inThisJvm().stream().filter(e -> e.runId().equals("undisturbed"))
                        .flatMap(e -> e.registry().find(metric).gauges().stream())
                        .mapToDouble(g -> g.value()).filter(Double::isFinite).findAny().orElse(Double.NaN);
                assertTrue(Double.isFinite(value), metric + " has no finite value on any worker");
            }
        }
        return net.params().dup();
    }

    @Test
    void parametersAreBitIdenticalWithAndWithoutSextant() throws Exception {
        INDArray without = train(false);
        INDArray with = train(true);
        INDArray againWithout = train(false);
        assertEquals(without, againWithout, "the run itself is repeatable (else the comparison below means nothing)");
        assertEquals(without, with, "Sextant changed the trained parameters");
    }
}
