package dev.descent.optim;

import dev.descent.layers.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam, from Kingma and Ba (2015), "Adam: A Method for Stochastic Optimization", Algorithm 1,
 * with the paper's defaults η = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-8. At step t:
 * <pre>
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   m̂ = m / (1 − β1^t),  v̂ = v / (1 − β2^t)
 *   θ ← θ − η·m̂ / (√v̂ + ε)
 * </pre>
 * With weight decay λ (0 by default) the decay is <em>decoupled</em> from the gradient, as in
 * AdamW: Loshchilov and Hutter (2019), "Decoupled Weight Decay Regularization", Algorithm 2,
 * in the form of PyTorch's {@code AdamW}: {@code θ ← θ − η·λ·θ} before the step above. Adding
 * λθ to g instead would let v̂ shrink the decay of parameters with large gradients, which is
 * why the paper decouples it.
 */
public final class Adam implements Optimizer {
    public static final double DEFAULT_LR = 0.001;
    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_EPSILON = 1e-8;

    private double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final List<double[]> m = new ArrayList<>();
    private final List<double[]> v = new ArrayList<>();
    private long t;
    private double c1, c2; // the bias corrections of step t: 1 − β1^t and 1 − β2^t

    public Adam(double learningRate) {
        this(learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
    }

    public Adam(double learningRate, double beta1, double beta2, double epsilon) {
        this(learningRate, beta1, beta2, epsilon, 0.0);
    }

    public Adam(double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {
        this.learningRate = Optimizers.requirePositive("learning rate", learningRate);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam's betas must be in [0, 1), got " + beta1 + " and " + beta2);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = Optimizers.requirePositive("epsilon", epsilon);
        this.weightDecay = Optimizers.requireNonNegative("weight decay", weightDecay);
    }

    @Override
    public void learningRate(double rate) {
        this.learningRate = Optimizers.requirePositive("learning rate", rate);
    }

    @Override
    public void begin(List<Parameter> parameters) {
        Optimizers.ensureState(m, parameters);
        Optimizers.ensureState(v, parameters);
        t++;
        c1 = 1 - Math.pow(beta1, t);
        c2 = 1 - Math.pow(beta2, t);
    }

    @Override
    public void update(int tensor, double[] theta, int from, int to, double[] g, int gFrom) {
        int shift = gFrom - from;
        double[] mp = m.get(tensor), vp = v.get(tensor);
        double decay = 1 - learningRate * weightDecay;
        for (int i = from; i < to; i++) {
            mp[i] = beta1 * mp[i] + (1 - beta1) * g[i + shift];
            vp[i] = beta2 * vp[i] + (1 - beta2) * g[i + shift] * g[i + shift];
            theta[i] = decay * theta[i] - learningRate * (mp[i] / c1) / (Math.sqrt(vp[i] / c2) + epsilon);
        }
    }

    @Override
    public boolean updatesFloat() {
        return true;
    }

    /** The same update with θ and g in float; the moments stay double and θ is rounded once. */
    @Override
    public void update(int tensor, float[] theta, int from, int to, float[] g) {
        double[] mp = m.get(tensor), vp = v.get(tensor);
        double decay = 1 - learningRate * weightDecay;
        for (int i = from; i < to; i++) {
            double gi = g[i];
            mp[i] = beta1 * mp[i] + (1 - beta1) * gi;
            vp[i] = beta2 * vp[i] + (1 - beta2) * gi * gi;
            theta[i] = (float) (decay * theta[i] - learningRate * (mp[i] / c1) / (Math.sqrt(vp[i] / c2) + epsilon));
        }
    }

    @Override
    public State state() {
        return new State(t, java.util.Map.of("m", Optimizers.copy(m), "v", Optimizers.copy(v)));
    }

    @Override
    public void restore(State state) {
        Optimizers.restoreInto(m, state, "m");
        Optimizers.restoreInto(v, state, "v");
        t = state.steps();
    }

    @Override
    public String describe() {
        return "adam, lr " + learningRate + ", betas " + beta1 + " " + beta2 + ", eps " + epsilon
                + Optimizers.describeDecay(weightDecay, " (decoupled, AdamW)");
    }
}
