package dev.descent.layers;

/**
 * A layer whose derivative jumps at some inputs, such as ReLU at 0. A finite difference whose
 * two evaluations fall on different sides of a kink measures a slope that is neither side's, so
 * gradient checks ask these layers where the last forward pass fell and set such entries aside.
 */
public interface Kinked {
    /**
     * Which side of its kinks each input of the most recent forward pass fell on, as a value
     * that {@code equals} another exactly when every input fell on the same side.
     */
    Object lastRegion();
}
