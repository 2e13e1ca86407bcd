package dev.descent.optim;

import dev.descent.layers.Parameter;
import java.util.List;
import java.util.Map;

/** Updates every parameter from its gradient, all at once. */
public interface Optimizer {
    void step(List<Parameter> parameters);

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
