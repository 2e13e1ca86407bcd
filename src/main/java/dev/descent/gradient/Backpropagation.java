package dev.descent.gradient;

import dev.descent.loss.Loss;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;

/**
 * Analytic gradients by the chain rule: one forward pass, then each layer's backward in reverse
 * order (Rumelhart, Hinton and Williams, "Learning representations by back-propagating errors",
 * Nature 1986). Costs about three forward passes, whatever the number of parameters.
 */
public final class Backpropagation implements GradientSource {
    @Override
    public Result computeGradients(Network network, Loss loss, Matrix x, int[] labels) {
        Matrix logits = network.forward(x);
        double value = loss.forward(logits, labels);
        network.zeroGrad();
        network.backward(loss.backward());
        return new Result(value, logits);
    }

    @Override
    public String describe() {
        return "backprop";
    }
}
