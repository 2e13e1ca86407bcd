package dev.descent.optim;

import dev.descent.layers.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
    private final List<float[]> mFloat = new ArrayList<>(); // m and v while float steps run, as PyTorch keeps
    private final List<float[]> vFloat = new ArrayList<>(); // them in a float32 parameter's own type
    private boolean inFloat; // whether the moments live in mFloat and vFloat now
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
    public double learningRate() {
        return learningRate;
    }

    @Override
    public void learningRate(double rate) {
        this.learningRate = Optimizers.requirePositive("learning rate", rate);
    }

    @Override
    public void begin(List<Parameter> parameters) {
        begin(parameters, false);
    }

    /** Moves the moments to float for float steps, and back to double (exactly) for double ones. */
    @Override
    public void begin(List<Parameter> parameters, boolean floatUpdates) {
        Optimizers.ensureState(m, parameters);
        Optimizers.ensureState(v, parameters);
        if (floatUpdates && !inFloat) {
            narrow(m, mFloat);
            narrow(v, vFloat);
        } else if (!floatUpdates && inFloat) {
            widen(mFloat, m);
            widen(vFloat, v);
        }
        inFloat = floatUpdates;
        t++;
        c1 = 1 - Math.pow(beta1, t);
        c2 = 1 - Math.pow(beta2, t);
    }

    @Override
    public void update(int tensor, double[] theta, int from, int to, double[] g, int gFrom) {
        int shift = gFrom - from;
        double[] mp = m.get(tensor), vp = v.get(tensor);
        double decay = 1 - learningRate * weightDecay;
        // η·m̂/(√v̂ + ε) = (η/c1)·m / (√v·(1/√c2) + ε): one division and one root per value, not three
        // divisions, as PyTorch computes it; the loop vectorises.
        double step = learningRate / c1, root = 1 / Math.sqrt(c2), a1 = 1 - beta1, a2 = 1 - beta2;
        for (int i = from; i < to; i++) {
            double gi = g[i + shift];
            double mi = beta1 * mp[i] + a1 * gi, vi = beta2 * vp[i] + a2 * gi * gi;
            mp[i] = mi;
            vp[i] = vi;
            theta[i] = decay * theta[i] - step * mi / (Math.sqrt(vi) * root + epsilon);
        }
    }

    @Override
    public boolean updatesFloat() {
        return true;
    }

    /**
     * The same update with θ, g and the moments in float, as PyTorch's Adam computes it for a
     * float32 parameter: {@code θ ← decay·θ − (η/c1)·m / (√v·(1/√c2) + ε)}. All float, so the JIT
     * compiler vectorises the loop; with the moments in double it converted each value twice and
     * stayed scalar, and the update took as long as the rest of a 784-256-128-10 step.
     */
    @Override
    public void update(int tensor, float[] theta, int from, int to, float[] g) {
        float[] mp = mFloat.get(tensor), vp = vFloat.get(tensor);
        float b1 = (float) beta1, b2 = (float) beta2, a1 = (float) (1 - beta1), a2 = (float) (1 - beta2);
        float step = (float) (learningRate / c1), root = (float) (1 / Math.sqrt(c2)), eps = (float) epsilon;
        float decay = (float) (1 - learningRate * weightDecay);
        for (int i = from; i < to; i++) {
            float gi = g[i];
            float mi = b1 * mp[i] + a1 * gi, vi = b2 * vp[i] + a2 * gi * gi;
            mp[i] = mi;
            vp[i] = vi;
            theta[i] = decay * theta[i] - step * mi / ((float) Math.sqrt(vi) * root + eps);
        }
    }

    /** The moments as double (exactly, where they are float now). */
    @Override
    public State state() {
        if (inFloat) {
            widen(mFloat, m);
            widen(vFloat, v);
        }
        return new State(t, Map.of("m", Optimizers.copy(m), "v", Optimizers.copy(v)));
    }

    @Override
    public void restore(State state) {
        Optimizers.restoreInto(m, state, "m");
        Optimizers.restoreInto(v, state, "v");
        if (inFloat) { // exact for moments saved from float steps
            narrow(m, mFloat);
            narrow(v, vFloat);
        }
        t = state.steps();
    }

    private static void narrow(List<double[]> from, List<float[]> to) {
        to.clear();
        for (double[] d : from) {
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            to.add(f);
        }
    }

    private static void widen(List<float[]> from, List<double[]> to) {
        for (int t = 0; t < from.size(); t++) {
            float[] f = from.get(t);
            double[] d = to.get(t);
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
        }
    }

    @Override
    public String describe() {
        return "adam, lr " + learningRate + ", betas " + beta1 + " " + beta2 + ", eps " + epsilon
                + Optimizers.describeDecay(weightDecay, " (decoupled, AdamW)");
    }
}
