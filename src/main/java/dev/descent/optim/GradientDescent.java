package dev.descent.optim;


/**
 * Plain gradient descent, {@code θ ← θ − η · dL/dθ}, with learning rate η (Cauchy, 1847).
 * Applied to a full batch this is the original thread's update, done for all parameters at once.
 *
 * <p>With weight decay λ, the L2 penalty's gradient is added to the loss's, as PyTorch's
 * {@code SGD(weight_decay=λ)} does: {@code θ ← θ − η·(g + λ·θ)}, the gradient of L + (λ/2)·‖θ‖²,
 * over every parameter (biases included).
 */
public final class GradientDescent implements Optimizer {
    private double learningRate;
    private final double weightDecay;

    public GradientDescent(double learningRate) {
        this(learningRate, 0.0);
    }

    public GradientDescent(double learningRate, double weightDecay) {
        this.learningRate = Optimizers.requirePositive("learning rate", learningRate);
        this.weightDecay = Optimizers.requireNonNegative("weight decay", weightDecay);
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public void learningRate(double rate) {
        this.learningRate = Optimizers.requirePositive("learning rate", rate);
    }

    @Override
    public void update(int tensor, double[] theta, int from, int to, double[] g, int gFrom) {
        int shift = gFrom - from;
        for (int i = from; i < to; i++) {
            theta[i] -= learningRate * (g[i + shift] + weightDecay * theta[i]);
        }
    }

    @Override
    public boolean updatesFloat() {
        return true;
    }

    /** θ ← θ − η·(g + λθ) in float, η and λ rounded to float as PyTorch and numpy do for a float32 tensor. */
    @Override
    public void update(int tensor, float[] theta, int from, int to, float[] g) {
        float lr = (float) learningRate, wd = (float) weightDecay;
        for (int i = from; i < to; i++) {
            theta[i] -= lr * (g[i] + wd * theta[i]);
        }
    }

    @Override
    public String describe() {
        return "sgd (plain gradient descent), lr " + learningRate + Optimizers.describeDecay(weightDecay, "");
    }
}
