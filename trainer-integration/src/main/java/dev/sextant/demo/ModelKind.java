package dev.sextant.demo;

import java.util.Locale;

/** The demo's networks; both take 784 features (a flattened 28×28 image) and give 10 classes. */
public enum ModelKind {
    /** 784-256-256-10 multilayer perceptron, ReLU hidden layers. */
    MLP,
    /** Two 5×5 convolutions (8 and 16 channels) with 2×2 max pooling, a 64-unit dense layer, 10 outputs. */
    CNN;

    /** The name on the command line and the {@code model} label of the metrics. */
    public String flagValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
