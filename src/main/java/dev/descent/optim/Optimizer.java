package dev.descent.optim;

import dev.descent.layers.Parameter;
import java.util.List;

/** Updates every parameter from its gradient, all at once. */
public interface Optimizer {
    void step(List<Parameter> parameters);

    /** One line for headers and model files. */
    String describe();
}
