package dev.descent.doctor;

import dev.descent.data.Dataset;
import dev.descent.gradient.Backpropagation;
import dev.descent.gradient.CentralDifference;
import dev.descent.gradient.GradientSource;
import dev.descent.layers.Parameter;
import dev.descent.loss.Loss;
import dev.descent.network.Network;
import dev.descent.optim.Optimizers;
import dev.descent.recipe.Recipe;
import dev.descent.tensor.Matrix;
import java.util.List;

/**
 * One step of a user's own training step (or of the plain step of a user's own gradient source),
 * with plain SGD, against what that step must be: θ − lr·g, every entry of g measured at the same
 * θ. A gradient check passes on such a step's {@code gradients()} all the same, and its loss may
 * fall; only the step itself shows it. A step that updates each parameter while the rest of the
 * gradient is still being measured (the seed thread's third bug) matches θ − lr·g on the first
 * entries it moves and drifts from there: each later partial derivative is taken at a θ the
 * earlier updates already moved.
 *
 * @param error    |Δθ − (−lr·g)| / |lr·g| over every parameter
 * @param matched  entries with a non-zero step, in parameter order, that matched before the first that did not
 * @param firstOff the first entry that did not match, as {@code W1[0][1]}
 * @param expected its step, −lr·g
 * @param actual   the step the user's step took there
 * @param samples  the samples of the batch the step was taken on
 * @param moved    the first entry the step's own gradient source moved while it measured (its
 *                 contract is to leave θ as it was), or null when it left θ alone
 */
record StepCheck(double error, int matched, String firstOff, double expected, double actual, int samples,
        String moved) {
    /** An entry matches when its step is within this fraction of the largest entry's step. */
    static final double ENTRY_TOLERANCE = 1e-6;
    /** A step is wrong when it is off by more than this fraction of |lr·g| overall. */
    static final double WRONG = 1e-3;
    /** Up to this many parameters the reference g is by central differences (our own); above, by backprop. */
    static final int MAX_CENTRAL = 20_000;

    /**
     * The check on {@code batch} from the network's current parameters, which are left as they were;
     * null unless the run takes a step of the user's own with plain SGD (no weight decay).
     */
    static StepCheck of(Recipe recipe, Network network, Loss loss, Dataset batch) {
        Optimizers.Settings sgd = recipe.optimizerSettings();
        if (!recipe.gradient().equals("own") || !sgd.name().equals("sgd") || sgd.weightDecay() != 0) {
            return null;
        }
        double lr = recipe.schedule().rate(1);
        List<Matrix> theta = network.snapshot();
        Matrix x = batch.featureMatrix();
        int[] y = batch.labels();
        GradientSource reference = network.parameterCount() <= MAX_CENTRAL ? new CentralDifference()
                : new Backpropagation();
        reference.computeGradients(network, loss, x, y);
        List<Matrix> g = network.parameters().stream().map(p -> p.grad().copy()).toList();
        network.restore(theta);
        recipe.step().gradients().computeGradients(network, loss, x, y);
        String moved = firstChange(network.parameters(), theta);
        network.restore(theta);
        network.zeroGrad();
        recipe.step().step(network, loss, x, y, Optimizers.create(sgd.withLearningRate(lr)));
        List<Matrix> after = network.snapshot();
        network.restore(theta);
        network.zeroGrad();
        StepCheck s = compare(network.parameters(), theta, after, g, lr, batch.size());
        return new StepCheck(s.error, s.matched, s.firstOff, s.expected, s.actual, s.samples, moved);
    }

    /** The first entry whose value differs from {@code theta}'s, or null. */
    private static String firstChange(List<Parameter> ps, List<Matrix> theta) {
        for (int t = 0; t < ps.size(); t++) {
            double[] now = ps.get(t).value().data(), was = theta.get(t).data();
            for (int i = 0; i < now.length; i++) {
                if (now[i] != was[i]) {
                    return entry(ps.get(t), i);
                }
            }
        }
        return null;
    }

    private static StepCheck compare(List<Parameter> ps, List<Matrix> theta, List<Matrix> after, List<Matrix> g,
            double lr, int samples) {
        double largest = 0, off = 0, norm = 0;
        for (Matrix m : g) {
            for (double v : m.data()) {
                largest = Math.max(largest, Math.abs(lr * v));
            }
        }
        int matched = 0;
        String firstOff = null;
        double expectedThere = 0, actualThere = 0;
        for (int t = 0; t < ps.size(); t++) {
            double[] a = theta.get(t).data(), b = after.get(t).data(), d = g.get(t).data();
            for (int i = 0; i < a.length; i++) {
                double expected = -lr * d[i], actual = b[i] - a[i];
                off += (actual - expected) * (actual - expected);
                norm += expected * expected;
                boolean matches = Math.abs(actual - expected) <= ENTRY_TOLERANCE * largest;
                if (firstOff == null && !matches) {
                    firstOff = entry(ps.get(t), i);
                    expectedThere = expected;
                    actualThere = actual;
                } else if (firstOff == null && expected != 0) {
                    matched++;
                }
            }
        }
        double error = norm == 0 ? (off == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.sqrt(off / norm);
        return new StepCheck(error, matched, firstOff, expectedThere, actualThere, samples, null);
    }

    private static String entry(Parameter p, int i) {
        int cols = p.value().cols();
        return p.value().rows() == 1 ? p.name() + "[" + i + "]" : p.name() + "[" + i / cols + "][" + i % cols + "]";
    }

    /** Whether the step is not θ − lr·g at one θ, or its source moved θ while it measured. */
    boolean wrong() {
        return !(error <= WRONG) || moved != null;
    }

    /**
     * Whether it updates while the gradient is measured: its source moved θ, or the step matched
     * on the first entries it moved and drifted later.
     */
    boolean inPlace() {
        return moved != null || (wrong() && matched > 0);
    }
}
