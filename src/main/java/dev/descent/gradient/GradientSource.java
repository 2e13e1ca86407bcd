package dev.descent.gradient;

import dev.descent.data.Features;
import dev.descent.loss.Loss;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Matrix;

/**
 * Something that can fill every parameter's gradient with dL/dθ at the network's current
 * parameters. The trainer knows nothing else about where gradients come from.
 */
public interface GradientSource {
    /**
     * Zeroes the gradients, then fills them with dL/dθ for the batch x: (N, in), labels: (N),
     * all measured at the current θ. Parameters are left exactly as they were.
     *
     * @return the loss L at the current parameters, and the network's output there: (N, out)
     */
    Result computeGradients(Network network, Loss loss, Matrix x, int[] labels);

    /**
     * One training step: the gradients at the current θ, then the optimizer's update of every
     * parameter. A source may fuse the two (the fused backprop step has each core update its share
     * of θ, a slice at a time, right after the gradients): θ ends the same, but the parameters'
     * gradients need not be kept; read them after {@link #computeGradients}.
     */
    default Result train(Network network, Loss loss, Matrix x, int[] labels, Optimizer optimizer) {
        Result r = computeGradients(network, loss, x, labels);
        optimizer.step(network.parameters());
        return r;
    }

    /**
     * As {@link #train(Network, Loss, Matrix, int[], Optimizer)} on the batch of rows
     * {@code order[from, from + x.rows())} of {@code features}, with {@code labels} theirs. By
     * default the rows are gathered into x first; a source may read them itself instead, as the
     * float32 fused step does, straight into float. Either way x is only a buffer.
     */
    default Result train(Network network, Loss loss, Features features, int[] order, int from, Matrix x, int[] labels,
                         Optimizer optimizer) {
        features.gather(order, from, x.rows(), x);
        return train(network, loss, x, labels, optimizer);
    }

    /**
     * A run of training steps on one network, such as the trainer takes within an epoch, during
     * which nothing else reads or changes the network's parameters. A source may keep θ its own
     * way meanwhile (the float32 fused step keeps it in float and writes it to the network when
     * the run closes); by default each step is {@link #train(Network, Loss, Features, int[], int,
     * Matrix, int[], Optimizer)}. Close the run before anything else looks at the parameters.
     */
    default Steps steps(Network network, Loss loss, Optimizer optimizer) {
        return (features, order, from, x, labels) -> train(network, loss, features, order, from, x, labels, optimizer);
    }

    /** A run of training steps; see {@link #steps}. */
    interface Steps extends AutoCloseable {
        /** One step on rows order[from, from + x.rows()) of {@code features}, {@code labels} theirs; x is a buffer. */
        Result step(Features features, int[] order, int from, Matrix x, int[] labels);

        /** Leaves the network's parameters holding θ as the last step left it. Closing twice does nothing more. */
        @Override
        default void close() {}
    }

    /** One line for headers and model files, such as {@code backprop}. */
    String describe();

    /** The loss at the current parameters and the output (logits) it was computed from. */
    record Result(double loss, Matrix output) {}

    /** The loss at the network's current parameters, without touching any gradient. */
    static double loss(Network network, Loss loss, Matrix x, int[] labels) {
        return loss.forward(network.forward(x), labels);
    }
}
