package dev.descent.gradient;

import dev.descent.loss.Loss;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Something that can fill every parameter's gradient with dL/dθ at the network's current
 * parameters: backpropagation, central differences, the fused backprop step, or a user's own.
 * A training step ({@code dev.descent.train.TrainingStep}) descends along them, and a gradient
 * check ({@code dev.descent.gradcheck.GradientCheck}) checks them.
 */
public interface GradientSource {
    /**
     * Zeroes the gradients, then fills them with dL/dθ for the batch x: (N, in), labels: (N),
     * all measured at the current θ. Parameters are left exactly as they were.
     *
     * @return the loss L at the current parameters, and the network's output there: (N, out)
     */
    Result computeGradients(Network network, Loss loss, Matrix x, int[] labels);

    /** One line for headers, such as {@code backprop}. */
    String describe();

    /**
     * How this source is recorded in a model file's provenance: at least {@code gradient}
     * ({@code backprop}, {@code numerical}, or the description of a source of one's own), and
     * any setting that changes what it computes.
     */
    default Map<String, Object> provenance() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("gradient", describe());
        return p;
    }

    /**
     * The source a gradient check compares with central differences in place of this one: this
     * one, or a float64 twin that runs the same kernels on the same schedule (central differences
     * keep about 10 digits in float64 and 1 in float32).
     */
    default GradientSource forChecking() {
        return this;
    }

    /** The loss at the current parameters and the output (logits) it was computed from. */
    record Result(double loss, Matrix output) {}

    /** The loss at the network's current parameters, without touching any gradient. */
    static double loss(Network network, Loss loss, Matrix x, int[] labels) {
        return loss.forward(network.forward(x), labels);
    }
}
