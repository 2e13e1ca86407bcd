package dev.descent.optim;

import dev.descent.layers.Parameter;
import dev.descent.tensor.MatrixOps;
import java.util.List;

/**
 * Plain gradient descent, {@code θ ← θ − η · dL/dθ}, with learning rate η (Cauchy, 1847).
 * Applied to a full batch this is the original thread's update, done for all parameters at once.
 */
public final class GradientDescent implements Optimizer {
    private final double learningRate;

    public GradientDescent(double learningRate) {
        this.learningRate = Optimizers.requirePositive("learning rate", learningRate);
    }

    public double learningRate() {
        return learningRate;
    }

    @Override
    public void step(List<Parameter> parameters) {
        for (Parameter p : parameters) {
            MatrixOps.axpyInPlace(p.value(), -learningRate, p.grad());
        }
    }

    @Override
    public String describe() {
        return "sgd (plain gradient descent), lr " + learningRate;
    }
}
