package dev.sextant.demo;

import dev.sextant.demo.data.LabelledData;
import dev.sextant.demo.data.SyntheticClusters;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The two networks' shapes and parameter counts, and the optimizer table. */
class NetworksTest {

    @Test
    void mlpHas784_256_256_10Parameters() {
        MultiLayerNetwork net = Networks.build(ModelKind.MLP, new Sgd(0.1), 1);

        // (784·256 + 256) + (256·256 + 256) + (256·10 + 10)
        assertEquals(784 * 256 + 256 + 256 * 256 + 256 + 256 * 10 + 10, net.numParams());
        assertEquals(3, net.getnLayers());
    }

    @Test
    void cnnShrinks28To4AndHasItsParameterCount() {
        MultiLayerNetwork net = Networks.build(ModelKind.CNN, new Sgd(0.1), 1);

        // conv 5×5×1→8: 200+8; conv 5×5×8→16: 3200+16; dense 4·4·16→64: 16384+64; output 64→10: 640+10.
        assertEquals(208 + 3216 + 16448 + 650, net.numParams());
    }

    @Test
    void bothTakeFlatImagesAndGiveProbabilities() {
        LabelledData d = new SyntheticClusters(2).sample("s", 5, 0);
        for (ModelKind kind : ModelKind.values()) {
            INDArray p = Networks.build(kind, new Sgd(0.1), 1).output(d.features());

            assertArrayEquals(new long[] {5, 10}, p.shape(), kind.name());
            // softmax rows sum to 1 up to float32 rounding of 10 terms (~1e-6).
            assertEquals(Nd4j.ones(p.dataType(), 5), p.sum(1), kind.name());
        }
    }

    @Test
    void theSeedFixesTheInitialWeights() {
        assertEquals(Networks.build(ModelKind.MLP, new Sgd(0.1), 9).params(),
                Networks.build(ModelKind.MLP, new Sgd(0.1), 9).params());
    }

    @Test
    void optimizerKindsBuildTheirUpdaters() {
        assertEquals(0.1, assertInstanceOf(Sgd.class, OptimizerKind.SGD.updater(0.1)).getLearningRate());
        Nesterovs n = assertInstanceOf(Nesterovs.class, OptimizerKind.NESTEROVS.updater(0.05));
        assertEquals(0.05, n.getLearningRate());
        assertEquals(0.9, n.getMomentum());
        assertEquals(1e-3, assertInstanceOf(Adam.class, OptimizerKind.ADAM.updater(1e-3)).getLearningRate());
    }
}
