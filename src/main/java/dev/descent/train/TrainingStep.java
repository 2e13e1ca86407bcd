package dev.descent.train;

import dev.descent.data.Dataset;
import dev.descent.data.Features;
import dev.descent.gradient.GradientSource;
import dev.descent.gradient.GradientSource.Result;
import dev.descent.loss.Loss;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Matrix;

/**
 * One step of gradient descent: the gradients at the current θ, then the optimizer's update of
 * every parameter. The {@link Trainer} takes its steps from here and knows nothing else about
 * how they are computed. {@link #of(GradientSource)} is the plain step of any gradient source,
 * a user's own included; a step may also fuse the two halves, as the fused backprop step does
 * (each core updates its share of θ a slice at a time, right after the gradients): θ ends the
 * same, but the parameters' gradients need not be kept.
 *
 * <p>{@link #gradients()} is the source whose gradients the step descends along, so that a
 * gradient check checks what trains.
 */
public interface TrainingStep {
    /** One step on the batch x: (N, in) with labels: (N). Returns the loss at θ before the step, and the output there. */
    Result step(Network network, Loss loss, Matrix x, int[] labels, Optimizer optimizer);

    /**
     * As {@link #step(Network, Loss, Matrix, int[], Optimizer)} on the batch of rows
     * {@code order[from, from + x.rows())} of {@code features}, with {@code labels} theirs. By
     * default the rows are gathered into x first; a step may read them itself instead, as the
     * float32 fused step does, straight into float. Either way x is only a buffer.
     */
    default Result step(Network network, Loss loss, Features features, int[] order, int from, Matrix x, int[] labels,
                        Optimizer optimizer) {
        features.gather(order, from, x.rows(), x);
        return step(network, loss, x, labels, optimizer);
    }

    /**
     * A run of steps on one network, such as the trainer takes within an epoch, during which
     * nothing else reads or changes the network's parameters. A step may keep θ its own way
     * meanwhile (the float32 fused step keeps it in float and writes it to the network when the
     * run closes). Close the run before anything else looks at the parameters.
     */
    default Run run(Network network, Loss loss, Optimizer optimizer) {
        return (features, order, from, x, labels) -> step(network, loss, features, order, from, x, labels, optimizer);
    }

    /** A run of steps; see {@link #run}. */
    interface Run extends AutoCloseable {
        /** One step on rows order[from, from + x.rows()) of {@code features}, {@code labels} theirs; x is a buffer. */
        Result step(Features features, int[] order, int from, Matrix x, int[] labels);

        /** Leaves the network's parameters holding θ as the last step left it. Closing twice does nothing more. */
        @Override
        default void close() {}
    }

    /**
     * The key of the steps from now on: the trainer keys each step from the run's seed, the epoch
     * and the batch, as dropout's masks are ({@link LocalEpochs}). A step that draws random numbers
     * (the directions of a zeroth-order step) derives them from it, never from a generator's
     * running state, so a run resumed from a checkpoint draws the same. By default nothing is drawn.
     */
    default void key(long key) {}

    /**
     * The loss and accuracy of {@code network} on {@code data}, as {@link Evaluation#of} gives
     * them; a step may compute them on its own schedule instead, as the fused step does (the
     * forward pass on every core, in the step's type). Not within an open {@link #run}.
     */
    default Evaluation evaluate(Network network, Loss loss, Dataset data) {
        return Evaluation.of(network, loss, data);
    }

    /** The source of the gradients this step descends along: what a gradient check of this run checks. */
    GradientSource gradients();

    /** One line for headers, such as {@code backprop}. */
    default String describe() {
        return gradients().describe();
    }

    /** The plain step of {@code source}: its gradients, then the optimizer's update of every parameter. */
    static TrainingStep of(GradientSource source) {
        return new TrainingStep() {
            @Override
            public Result step(Network network, Loss loss, Matrix x, int[] labels, Optimizer optimizer) {
                Result r = source.computeGradients(network, loss, x, labels);
                optimizer.step(network.parameters());
                return r;
            }

            @Override
            public GradientSource gradients() {
                return source;
            }
        };
    }
}
