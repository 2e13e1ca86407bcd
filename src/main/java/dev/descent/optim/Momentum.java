package dev.descent.optim;

import dev.descent.layers.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Gradient descent with (heavy-ball) momentum, in the form PyTorch's {@code SGD(momentum=β)} uses:
 * <pre>
 *   v ← β·v + g + λ·θ
 *   θ ← θ − η·v
 * </pre>
 * with velocity v starting at zero and weight decay λ (0 by default) the L2 penalty's gradient
 * added to the loss's, as {@code SGD(weight_decay=λ)} adds it. Polyak (1964), "Some methods of
 * speeding up the convergence of iteration methods"; Sutskever, Martens, Dahl and Hinton (2013),
 * "On the importance of initialization and momentum in deep learning", whose β = 0.9 is the
 * default here.
 */
public final class Momentum implements Optimizer {
    public static final double DEFAULT_BETA = 0.9;

    private double learningRate;
    private final double beta;
    private final double weightDecay;
    private final List<double[]> velocity = new ArrayList<>();

    public Momentum(double learningRate, double beta) {
        this(learningRate, beta, 0.0);
    }

    public Momentum(double learningRate, double beta, double weightDecay) {
        this.learningRate = Optimizers.requirePositive("learning rate", learningRate);
        if (!(beta >= 0 && beta < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + beta);
        }
        this.beta = beta;
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
        Optimizers.ensureState(velocity, parameters);
    }

    @Override
    public void update(int tensor, double[] theta, int from, int to, double[] g, int gFrom) {
        int shift = gFrom - from;
        double[] v = velocity.get(tensor);
        for (int i = from; i < to; i++) {
            v[i] = beta * v[i] + g[i + shift] + weightDecay * theta[i];
            theta[i] -= learningRate * v[i];
        }
    }

    @Override
    public boolean updatesFloat() {
        return true;
    }

    /** The same update with θ and g in float; the velocity stays double and θ is rounded once. */
    @Override
    public void update(int tensor, float[] theta, int from, int to, float[] g) {
        double[] v = velocity.get(tensor);
        for (int i = from; i < to; i++) {
            v[i] = beta * v[i] + g[i] + weightDecay * theta[i];
            theta[i] = (float) (theta[i] - learningRate * v[i]);
        }
    }

    /** The velocity of each parameter, in order; the optimizer's whole state. */
    public List<double[]> velocity() {
        return velocity;
    }

    @Override
    public State state() {
        return new State(0, Map.of("velocity", Optimizers.copy(velocity)));
    }

    @Override
    public void restore(State state) {
        Optimizers.restoreInto(velocity, state, "velocity");
    }

    @Override
    public String describe() {
        return "momentum " + beta + ", lr " + learningRate + Optimizers.describeDecay(weightDecay, "");
    }
}
