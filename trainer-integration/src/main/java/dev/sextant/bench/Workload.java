package dev.sextant.bench;

import dev.sextant.demo.ModelKind;
import dev.sextant.demo.Networks;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.learning.config.Adam;

import java.util.List;
import java.util.Locale;

/**
 * The reference networks of the benchmark, the demo's own ({@link Networks}), trained with Adam at
 * learning rate 1e-3 on 28×28 images given as 784 features.
 */
public enum Workload {
    /** 784-256-256-10 ReLU MLP, 269,322 parameters. */
    MLP(ModelKind.MLP),
    /** conv 5×5×8, pool, conv 5×5×16, pool, dense 64, softmax 10; 20,522 parameters. */
    CNN(ModelKind.CNN);

    /** Adam's learning rate in every workload. */
    public static final double LEARNING_RATE = 1e-3;

    private final ModelKind kind;

    Workload(ModelKind kind) {
        this.kind = kind;
    }

    /** A new network, initialised from {@code seed}: the same seed gives the same weights. */
    public MultiLayerNetwork newNetwork(long seed) {
        return Networks.build(kind, new Adam(LEARNING_RATE), seed);
    }

    /** The name on the command line and in the tables. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The workloads named by {@code mlp}, {@code cnn} or {@code all}.
     *
     * @throws IllegalArgumentException for any other word
     */
    public static List<Workload> parse(String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "mlp" -> List.of(MLP);
            case "cnn" -> List.of(CNN);
            case "all" -> List.of(MLP, CNN);
            default -> throw new IllegalArgumentException("'" + word + "'; use mlp, cnn or all");
        };
    }
}
