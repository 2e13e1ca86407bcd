package dev.descent.gradcheck;

import dev.descent.gradient.Backpropagation;
import dev.descent.gradient.CentralDifference;
import dev.descent.gradient.FastCentralDifference;
import dev.descent.gradient.GradientSource;
import dev.descent.layers.Dropout;
import dev.descent.layers.Kinked;
import dev.descent.layers.Layer;
import dev.descent.layers.Parameter;
import dev.descent.loss.Loss;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.function.IntPredicate;
import java.util.function.IntToDoubleFunction;
import java.util.function.Supplier;

/**
 * Checks backpropagated gradients against central differences, tensor by tensor, and says what is
 * wrong when they disagree: a flipped sign, a constant factor, or the worst entry.
 *
 * <p>An entry passes when {@code |a − n| ≤ atol + rtol·|n|}, with a the backprop value and n the
 * central difference {@code (L(θ+h) − L(θ−h)) / 2h}; the defaults are PyTorch's
 * {@code torch.autograd.gradcheck} in double precision (eps 1e-6, atol 1e-5, rtol 1e-3). Entries
 * whose two evaluations fall on different sides of a kink (a ReLU unit switching on or off) are
 * not compared: there the difference quotient measures neither side's slope. They are counted.
 *
 * <pre>{@code
 * GradientCheckReport report = new GradientCheck().check(network, loss, x, labels);
 * assertTrue(report.passed(), report.toString());
 * }</pre>
 */
public final class GradientCheck {
    public static final double DEFAULT_RTOL = 1e-3;
    public static final double DEFAULT_ATOL = 1e-5;
    public static final double DEFAULT_H = CentralDifference.DEFAULT_H;

    private final double h;
    private final double rtol;
    private final double atol;
    private final int maxPerTensor;

    /** The defaults: h 1e-6, rtol 1e-3, atol 1e-5, every entry. */
    public GradientCheck() {
        this(DEFAULT_H, DEFAULT_RTOL, DEFAULT_ATOL, Integer.MAX_VALUE);
    }

    /**
     * @param maxPerTensor compare at most this many entries of each tensor, evenly spread over it
     */
    public GradientCheck(double h, double rtol, double atol, int maxPerTensor) {
        requirePositive("h", h);
        requirePositive("rtol", rtol);
        requirePositive("atol", atol);
        if (maxPerTensor < 1) {
            throw new IllegalArgumentException("maxPerTensor must be at least 1, got " + maxPerTensor);
        }
        this.h = h;
        this.rtol = rtol;
        this.atol = atol;
        this.maxPerTensor = maxPerTensor;
    }

    private static void requirePositive(String what, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(what + " must be positive, got " + v);
        }
    }

    /**
     * Checks backpropagation through the layers' own backward ({@link Backpropagation}, the
     * reference schedule): {@link #check(GradientSource, Network, Loss, Matrix, int[])} with it.
     */
    public GradientCheckReport check(Network network, Loss loss, Matrix x, int[] labels) {
        return check(new Backpropagation(), network, loss, x, labels);
    }

    /**
     * Checks the gradients of {@code source} (the one that trains: the fused step, a user's own
     * source or a network with a user's own layer) for every parameter of {@code network} on the
     * batch x: (N, in), labels: (N), against central differences of the loss. Parameters are left
     * as they were. The last two dense layers of a network of dense layers and built-in
     * activations get their central differences from cached activations
     * ({@link FastCentralDifference}), which also says exactly which entries cross a ReLU kink;
     * other tensors, and every tensor when {@code source} is that engine itself, are perturbed
     * and re-evaluated one entry at a time.
     */
    public GradientCheckReport check(GradientSource source, Network network, Loss loss, Matrix x, int[] labels) {
        // Dropout's masks are held fixed for the whole check (one key), so that every L(θ ± h) sees
        // the same sub-network as backprop did: it checks the layer, not the noise between draws.
        Dropout.train(network.layers(), DROPOUT_KEY);
        try {
            return checkAtFixedMasks(source, network, loss, x, labels);
        } finally {
            Dropout.evaluate(network.layers());
        }
    }

    /**
     * Whether the forward pass is repeatable, as a gradient check needs: two passes at the same
     * parameters on the same rows, dropout's masks held fixed as {@link #check} holds them, must
     * give the same outputs. A layer that draws fresh random numbers in its forward (noise, or a
     * dropout of its own with unseeded masks) makes every central difference measure the noise.
     *
     * @return the first layer whose output differed, with the two losses; empty when repeatable
     */
    public static Optional<NonRepeatable> nonRepeatable(Network network, Loss loss, Matrix x,
            int[] labels) {
        Dropout.train(network.layers(), DROPOUT_KEY);
        try {
            List<Matrix> a = network.forwardTrace(x);
            double la = loss.forward(a.get(a.size() - 1), labels);
            List<Matrix> b = network.forwardTrace(x);
            double lb = loss.forward(b.get(b.size() - 1), labels);
            for (int i = 0; i < a.size(); i++) {
                if (!same(a.get(i).data(), b.get(i).data())) {
                    return Optional.of(new NonRepeatable(i, network.layers().get(i).kind(), la, lb));
                }
            }
            return Optional.empty();
        } finally {
            Dropout.evaluate(network.layers());
        }
    }

    /** Equal up to rounding: within 1e-12 of the larger magnitude (a reduction summed in another order). */
    private static boolean same(double[] a, double[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs(a[i] - b[i]);
            if (!(d <= 1e-12 * Math.max(1, Math.max(Math.abs(a[i]), Math.abs(b[i]))))
                    && !(Double.isNaN(a[i]) && Double.isNaN(b[i]))) {
                return false;
            }
        }
        return true;
    }

    /** The key of the dropout masks a check holds fixed. */
    static final long DROPOUT_KEY = 0x5EED;

    private GradientCheckReport checkAtFixedMasks(GradientSource source, Network network, Loss loss, Matrix x,
                                                  int[] labels) {
        source.computeGradients(network, loss, x, labels);
        List<Matrix> analytic = network.parameters().stream().map(p -> p.grad().copy()).toList();

        Map<Parameter, boolean[]> kinks = new IdentityHashMap<>();
        Map<Matrix, Parameter> cached = new IdentityHashMap<>();
        List<Matrix> numeric = null;
        if (FastCentralDifference.supports(network, loss) && !(source instanceof FastCentralDifference)) {
            FastCentralDifference.cachedParameters(network).forEach(p -> cached.put(p.value(), p));
            new FastCentralDifference(h).computeGradients(network, loss, x, labels, kinks);
            numeric = network.parameters().stream().map(p -> p.grad().copy()).toList();
        }
        List<TensorCheck> results = new ArrayList<>();
        DoubleSupplier f = () -> GradientSource.loss(network, loss, x, labels);
        Supplier<List<Object>> regions = () -> regions(network.layers());
        for (int t = 0; t < network.parameters().size(); t++) {
            Parameter p = network.parameters().get(t);
            Parameter own = cached.get(p.value());
            if (own != null) {
                double[] n = numeric.get(t).data();
                boolean[] kink = kinks.get(own);
                results.add(compare(p.name(), p.value(), analytic.get(t), i -> n[i], i -> kink != null && kink[i]));
            } else {
                results.add(compare(p.name(), p.value(), analytic.get(t), f, regions));
            }
        }
        network.zeroGrad();
        return new GradientCheckReport(results, h, rtol, atol);
    }

    /**
     * Checks one layer on its own, a user's included: its input gradient and each parameter's,
     * under the probe loss {@code L = Σ y ⊙ R} for a fixed random R (seeded), so dL/dy = R.
     *
     * @param input x: (N, in), left as it was
     */
    public GradientCheckReport checkLayer(Layer layer, Matrix input, long seed) {
        Matrix y0 = layer.forward(input);
        Matrix probe = new Matrix(y0.rows(), y0.cols());
        Random rng = new Random(seed);
        for (int i = 0; i < probe.size(); i++) {
            probe.data()[i] = rng.nextGaussian();
        }
        DoubleSupplier f = () -> {
            double[] y = layer.forward(input).data(), r = probe.data();
            double s = 0;
            for (int i = 0; i < y.length; i++) {
                s += y[i] * r[i];
            }
            return s;
        };
        layer.parameters().forEach(Parameter::zeroGrad);
        layer.forward(input);
        Matrix dInput = layer.backward(probe);
        Supplier<List<Object>> regions = () -> regions(List.of(layer));
        List<TensorCheck> results = new ArrayList<>();
        results.add(compare("input", input, dInput, f, regions));
        for (Parameter p : layer.parameters()) {
            results.add(compare(p.name(), p.value(), p.grad().copy(), f, regions));
        }
        layer.parameters().forEach(Parameter::zeroGrad);
        return new GradientCheckReport(results, h, rtol, atol);
    }

    private static List<Object> regions(List<Layer> layers) {
        List<Object> r = new ArrayList<>();
        for (Layer layer : layers) {
            if (layer instanceof Kinked k) {
                r.add(k.lastRegion());
            }
        }
        return r;
    }

    /** Compares analytic with central differences of f, perturbing one entry at a time. */
    private TensorCheck compare(String name, Matrix value, Matrix analytic, DoubleSupplier f,
            Supplier<List<Object>> regions) {
        f.getAsDouble();
        List<Object> base = regions.get();
        boolean[] crossed = {false};
        return compare(name, value, analytic, i -> {
            crossed[0] = false;
            return CentralDifference.at(value.data(), i, h, f, () -> crossed[0] |= !regions.get().equals(base));
        }, i -> crossed[0]);
    }

    /**
     * Compares analytic with the central differences {@code numeric} over the chosen entries of
     * value; {@code kink} is asked right after {@code numeric} for the same entry.
     */
    private TensorCheck compare(String name, Matrix value, Matrix analytic, IntToDoubleFunction numeric,
            IntPredicate kink) {
        Stats s = new Stats();
        int size = value.size();
        int count = Math.min(size, maxPerTensor);
        for (int k = 0; k < count; k++) {
            int i = (int) ((long) k * size / count);
            double n = numeric.applyAsDouble(i);
            if (kink.test(i)) {
                s.kinks++;
            } else {
                s.add(i, analytic.data()[i], n);
            }
        }
        return s.result(name, value.rows(), value.cols());
    }

    /** Running sums over the compared entries of one tensor. */
    private final class Stats {
        int checked, kinks, failures, worst = -1;
        double maxAbs, maxRel, dotAN, dotAA, dotNN, worstA, worstN;
        final List<double[]> pairs = new ArrayList<>();

        void add(int index, double a, double n) {
            checked++;
            double diff = Math.abs(a - n);
            if (diff > atol + rtol * Math.abs(n)) {
                failures++;
            }
            if (diff > maxAbs || worst < 0) {
                maxAbs = diff;
                worst = index;
                worstA = a;
                worstN = n;
            }
            maxRel = Math.max(maxRel, diff / Math.max(atol, Math.max(Math.abs(a), Math.abs(n))));
            dotAN += a * n;
            dotAA += a * a;
            dotNN += n * n;
            pairs.add(new double[] {a, n});
        }

        TensorCheck result(String name, int rows, int cols) {
            double cosine = dotAA == 0 && dotNN == 0 ? 1.0
                    : dotAA == 0 || dotNN == 0 ? 0.0 : dotAN / Math.sqrt(dotAA * dotNN);
            double ratio = dotNN == 0 ? Double.NaN : dotAN / dotNN;
            boolean fits = !Double.isNaN(ratio);
            for (double[] p : pairs) {
                fits &= Math.abs(p[0] - ratio * p[1]) <= atol + rtol * Math.abs(ratio * p[1]);
            }
            return new TensorCheck(name, rows, cols, checked, kinks, failures, maxAbs, maxRel, cosine, ratio, fits,
                    worst, worstA, worstN);
        }
    }
}
