package dev.sextant.dl4j;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.file.Path;
import java.util.List;

/**
 * A training process to be killed: trains a tiny network without end, Sextant attached with an
 * event log, and prints "step N" (flushed) after each step. Run by {@link EventLogSurvivesKillTest}.
 */
public final class KillTarget {
    private KillTarget() {
    }

    public static void main(String[] args) {
        Path log = Path.of(args[0]);
        int every = Integer.parseInt(args[1]);
        MultiLayerNetwork net = TinyNets.mlp(1);
        SextantListener sextant = SextantListener.builder().fixedIntervals().runId("kill").port(-1).every(every).eventLog(log).build();
        net.addListeners(sextant);
        List<DataSet> batches = TinyNets.batches(2, 16, 8);
        for (long step = 0; ; step++) {
            net.fit(batches.get((int) (step % batches.size())));
            System.out.println("step " + step);
            System.out.flush();
        }
    }
}
