package dev.sextant.demo;

import dev.sextant.demo.data.LabelledData;
import dev.sextant.demo.data.SyntheticClusters;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The listener's count equals the accuracy of the network's own output before the step. */
class BatchAccuracyListenerTest {

    @ParameterizedTest
    @EnumSource(ModelKind.class)
    void countsTheCorrectPredictionsOfTheParametersBeforeTheUpdate(ModelKind kind) {
        LabelledData d = new SyntheticClusters(4).sample("s", 64, 0);
        MultiLayerNetwork net = Networks.build(kind, new Sgd(0.1), 4);
        BatchAccuracyListener listener = new BatchAccuracyListener();
        net.setListeners(listener);

        long expected = 0;
        for (int step = 0; step < 3; step++) {
            // Predictions of the current parameters, by DL4J's full forward pass (softmax included).
            expected += Nd4j.argMax(net.output(d.features()), 1).eq(Nd4j.argMax(d.labels(), 1))
                    .castTo(DataType.INT32).sumNumber().longValue();
            net.fit(new DataSet(d.features(), d.labels()));
        }

        // Same parameters, same inputs, same argmax: the counts agree exactly (argmax is unaffected by
        // the monotone softmax; a tie between two float32 pre-activations would be the only exception).
        assertTrue(listener.available());
        assertEquals(3 * 64, listener.seen());
        assertEquals(expected, listener.correct());
    }
}
