package dev.sextant.linalg;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Random probe vectors filled on the device by ND4J random ops, from a generator of its own: the
 * global ND4J generator that dropout uses is never advanced, and a given seed gives the same
 * vector every time.
 */
public final class RandomVectors {
    private Random generator;

    /** Fills {@code out} with independent standard normal values drawn from {@code seed}. */
    public void gaussian(INDArray out, long seed) {
        Nd4j.getExecutioner().exec(new GaussianDistribution(out, 0.0, 1.0), seeded(seed));
    }

    /** Fills {@code out} with independent ±1 values of probability ½ each (Rademacher), drawn from {@code seed}. */
    public void rademacher(INDArray out, long seed) {
        Nd4j.getExecutioner().exec(new BernoulliDistribution(out, 0.5), seeded(seed));
        out.muli(2).subi(1);
    }

    private Random seeded(long seed) {
        if (generator == null) {
            generator = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        }
        generator.setSeed(seed);
        return generator;
    }
}
