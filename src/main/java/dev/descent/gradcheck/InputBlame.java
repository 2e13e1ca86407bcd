package dev.descent.gradcheck;

import java.util.List;

/**
 * The layer whose input gradient is wrong, checked in place: on the input it really receives
 * inside the network, under a probe loss. An error that enters there flows into every tensor
 * below it, whose own backward is right; the blame is this layer's.
 *
 * @param layer the layer (0-based) whose dL/dx disagrees with its central differences
 * @param kind  that layer's {@link dev.descent.layers.Layer#kind()}
 * @param input the comparison of its input gradient
 * @param through the failing tensors of the layers below it, which fail through it
 */
public record InputBlame(int layer, String kind, TensorCheck input, List<String> through) {
    public InputBlame {
        through = List.copyOf(through);
    }

    /** {@code layer 3 (mine)}, counting from 1 as the doctor does. */
    public String where() {
        return "layer " + (layer + 1) + " (" + kind + ")";
    }
}
