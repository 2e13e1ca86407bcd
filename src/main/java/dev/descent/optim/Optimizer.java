package dev.descent.optim;

import dev.descent.layers.Parameter;
import java.util.List;
import java.util.Map;

/**
 * Updates every parameter from its gradient, all at once.
 *
 * <p>Every update rule here is element-wise, so a step is {@link #begin} once, then
 * {@link #update} over each tensor, or over disjoint slices of them in any order and on any
 * thread: the fused training step applies it to each slice of the gradient as soon as that
 * slice is summed, while it is still in cache.
 */
public interface Optimizer {
    /** One whole step: {@link #begin}, then {@link #update} of every tensor from its gradient. */
    default void step(List<Parameter> parameters) {
        begin(parameters);
        for (int t = 0; t < parameters.size(); t++) {
            Parameter p = parameters.get(t);
            update(t, p.value().data(), 0, p.size(), p.grad().data(), 0);
        }
    }

    /** Starts a step: sizes the per-parameter state the first time, counts the step. Once per step. */
    default void begin(List<Parameter> parameters) {}

    /**
     * Starts a step whose updates are all {@link #update(int, float[], int, int, float[])} when
     * {@code floatUpdates}, else all {@link #update(int, double[], int, int, double[], int)}. An
     * optimizer that keeps its running sums in the parameters' type between float steps (Adam
     * does) moves them to that type here, on the one thread that begins the step. By default,
     * {@link #begin(List)}.
     */
    default void begin(List<Parameter> parameters, boolean floatUpdates) {
        begin(parameters);
    }

    /**
     * Updates θ[from, to) of parameter tensor {@code tensor} from its gradient there, which is
     * read from g starting at {@code gFrom}: θ[i] from g[gFrom + i − from].
     */
    void update(int tensor, double[] theta, int from, int to, double[] g, int gFrom);

    /**
     * Whether this optimizer has {@link #update(int, float[], int, int, float[])}, its update in
     * float32. The float32 fused step then keeps θ in float, as float32 training in PyTorch or
     * numpy does; without it, θ stays double and is rounded to float for each step.
     */
    default boolean updatesFloat() {
        return false;
    }

    /**
     * The update in float32: θ[from, to) of tensor {@code tensor} from g at the same indices, both
     * float, in a step begun with {@code begin(parameters, true)}. What the optimizer carries from
     * step to step is double, or float where it says so (Adam's moments). Only where
     * {@link #updatesFloat()}.
     */
    default void update(int tensor, float[] theta, int from, int to, float[] g) {
        throw new UnsupportedOperationException(describe() + " has no float32 update");
    }

    /** The learning rate η the next step takes; an optimizer without one refuses. */
    default double learningRate() {
        throw new UnsupportedOperationException(describe() + " has no learning rate");
    }

    /**
     * Sets the learning rate η for the steps from now on: a learning-rate schedule calls it at the
     * start of each epoch. An optimizer without a learning rate refuses.
     */
    default void learningRate(double rate) {
        throw new UnsupportedOperationException(describe() + " has no learning rate to set");
    }

    /** One line for headers and model files. */
    String describe();

    /**
     * Everything the optimizer carries from step to step, for a checkpoint: named per-parameter
     * arrays (in parameter order) and a step count. Copies, not the live state.
     */
    default State state() {
        return new State(0, Map.of());
    }

    /** Puts back a state taken by {@link #state()} from an optimizer of the same kind and settings. */
    default void restore(State state) {
        if (!state.slots().isEmpty()) {
            throw new IllegalArgumentException(describe() + " has no state to restore, got " + state.slots().keySet());
        }
    }

    /**
     * @param steps the number of steps taken
     * @param slots per-parameter arrays by name, such as {@code m} and {@code v} for Adam
     */
    record State(long steps, Map<String, List<double[]>> slots) {}
}
