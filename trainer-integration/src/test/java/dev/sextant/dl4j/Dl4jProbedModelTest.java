package dev.sextant.dl4j;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gradients on the float64 copy are true gradients of the mean loss, and the training network is untouched. */
class Dl4jProbedModelTest {

    @Test
    void gradientIsTheMeanLossGradientAlongAnyDirection() {
        MultiLayerNetwork net = TinyNets.mlp(11, new Sgd(0.1), 0);
        DataSet ds = TinyNets.batches(12, 1, 20).get(0);
        net.setInput(ds.getFeatures());
        net.setLabels(ds.getLabels());
        Dl4jProbedModel probed = new Dl4jProbedModel(NetworkAccess.of(net), DataType.DOUBLE);
        INDArray w = net.params().castTo(DataType.DOUBLE);
        INDArray g = w.ulike();
        probed.gradient(w, 3, 17, g);
        Nd4j.getRandom().setSeed(13);
        for (int k = 0; k < 3; k++) {
            INDArray v = Nd4j.randn(DataType.DOUBLE, w.shape());
            v.divi(v.norm2Number());
            // Central difference of the loss (float64, tanh/softmax: smooth) has error O(h²·L''')
            // ~ 1e-12 at h = 1e-5 plus rounding ~ 1e-16/h = 1e-11: agree to 1e-8 absolute.
            double h = 1e-5;
            double lp = probed.loss(w.add(v.mul(h)), 3, 17);
            double lm = probed.loss(w.sub(v.mul(h)), 3, 17);
            double directional = (lp - lm) / (2 * h);
            double dot = g.mul(v).sumNumber().doubleValue();
            assertEquals(directional, dot, 1e-8, "direction " + k);
        }
    }

    @Test
    void evaluationsLeaveTheTrainingNetworkAsItWas() {
        MultiLayerNetwork net = TinyNets.mlp(21, new Sgd(0.1), 0.5);
        DataSet ds = TinyNets.batches(22, 1, 16).get(0);
        net.fit(ds); // leaves input, labels, score and gradient view set, as at iterationDone
        INDArray params = net.params().dup();
        INDArray grads = net.getFlattenedGradients().dup();
        INDArray input = net.getInput();
        double score = net.score();
        long root = Nd4j.getRandom().rootState();
        long node = Nd4j.getRandom().nodeState();

        Dl4jProbedModel probed = new Dl4jProbedModel(NetworkAccess.of(net), DataType.DOUBLE);
        INDArray w = net.params().castTo(DataType.DOUBLE).addi(0.01);
        INDArray g = w.ulike();
        probed.gradient(w, 0, 16, g);
        probed.loss(w, 0, 8);

        assertEquals(params, net.params());
        assertEquals(grads, net.getFlattenedGradients());
        assertSame(input, net.getInput());
        assertEquals(score, net.score());
        assertEquals(root, Nd4j.getRandom().rootState());
        assertEquals(node, Nd4j.getRandom().nodeState());
    }

    @Test
    void dropoutMaskIsFixedWithinAnEvaluationSoRepeatsAgree() {
        MultiLayerNetwork net = TinyNets.mlp(31, new Sgd(0.1), 0.5);
        DataSet ds = TinyNets.batches(32, 1, 16).get(0);
        net.setInput(ds.getFeatures());
        net.setLabels(ds.getLabels());
        Dl4jProbedModel probed = new Dl4jProbedModel(NetworkAccess.of(net), DataType.DOUBLE);
        INDArray w = net.params().castTo(DataType.DOUBLE);
        INDArray g1 = w.ulike();
        INDArray g2 = w.ulike();
        probed.gradient(w, 0, 16, g1);
        probed.gradient(w, 0, 16, g2);
        // Finite differences need one function: with a fixed evaluation seed the two are bit-identical.
        assertEquals(g1, g2);
        assertTrue(g1.norm2Number().doubleValue() > 0);
    }
}
