package dev.descent.network;

import java.util.List;

/**
 * The shape of a multilayer perceptron: input width, hidden widths, activation between dense
 * layers, and the number of classes. {@link #build()} gives a network of zero parameters; an
 * initializer fills them.
 */
public record Architecture(int inputs, List<Integer> hidden, String activation, int classes) {
    public Architecture {
        hidden = List.copyOf(hidden);
    }

    /** inputs -> hidden[0] act -> ... -> classes, as dense layers with the activation between them. */
    public Network build() {
        Network.Builder b = Network.builder(inputs);
        for (int width : hidden) {
            b.dense(width).activation(activation);
        }
        return b.dense(classes).build();
    }
}
