package dev.descent.optim;


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
    public void update(int tensor, double[] theta, int from, int to, double[] g, int gFrom) {
        int shift = gFrom - from;
        for (int i = from; i < to; i++) {
            theta[i] -= learningRate * g[i + shift];
        }
    }

    @Override
    public boolean updatesFloat() {
        return true;
    }

    /** θ ← θ − η·g in float, η rounded to float as PyTorch and numpy do for a float32 tensor. */
    @Override
    public void update(int tensor, float[] theta, int from, int to, float[] g) {
        float lr = (float) learningRate;
        for (int i = from; i < to; i++) {
            theta[i] -= lr * g[i];
        }
    }

    @Override
    public String describe() {
        return "sgd (plain gradient descent), lr " + learningRate;
    }
}
