package dev.descent.gradcheck;

/**
 * A forward pass that is not a function of the parameters: two passes at the same parameters on
 * the same rows gave different outputs. Every central difference then measures the noise between
 * the passes, not the slope, so a gradient check cannot judge the backward pass.
 *
 * @param layer      the first layer (0-based) whose output differed between the passes
 * @param kind       that layer's {@link dev.descent.layers.Layer#kind()}
 * @param firstLoss  the loss of the first pass
 * @param secondLoss the loss of the second
 */
public record NonRepeatable(int layer, String kind, double firstLoss, double secondLoss) {
    /** {@code layer 2 (noisy)}, counting from 1 as the doctor does. */
    public String where() {
        return "layer " + (layer + 1) + " (" + kind + ")";
    }
}
