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
 * wrong when they disagree: a flipped sign, a constant factor, the worst entry, a forward pass that
 * is not repeatable, or the layer whose input gradient lets the error in.
 *
 * <p>An entry passes when {@code |a − n| ≤ tol + rtol·|n|}, with a the backprop value and n the
 * central difference {@code (L(θ+h) − L(θ−h)) / 2h}, and {@code tol = min(atol, rtol·max|n|)}
 * over the tensor (never below the rounding noise of a central difference): the defaults are
 * PyTorch's {@code torch.autograd.gradcheck} in double precision (eps 1e-6, atol 1e-5, rtol 1e-3),
 * with the absolute tolerance scaled to the tensor's own gradient, so that gradients of 1e-6 are
 * not all within atol of anything. A tensor whose two gradients have a cosine below 0.99 fails
 * whatever its size ({@link EntryStats}). Entries whose two evaluations fall on different sides
 * of a kink of a {@link Kinked} layer (a ReLU unit switching on or off) are not compared: there
 * the difference quotient measures neither side's slope. They are counted. A failing entry whose
 * two one-sided slopes differ as much as the error sits within h of a kink of a layer that does
 * not say where its kinks are; the report says so.
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
            NonRepeatable noisy = firstDifference(network, loss, x, labels).orElse(null);
            List<Matrix> theta = network.snapshot();
            source.computeGradients(network, loss, x, labels);
            List<Matrix> analytic = network.parameters().stream().map(p -> p.grad().copy()).toList();
            String moved = firstChange(network, theta);
            network.restore(theta); // a source that moved θ is named; its gradients are compared where it started
            List<TensorCheck> tensors = checkAtFixedMasks(source, analytic, network, loss, x, labels);
            boolean failed = tensors.stream().anyMatch(t -> !t.passed());
            InputBlame blame = noisy == null && failed ? InPlace.blame(this, network, x, tensors) : null;
            return new GradientCheckReport(tensors, h, rtol, atol, noisy, blame, moved);
        } finally {
            Dropout.evaluate(network.layers());
        }
    }

    /**
     * Whether the forward pass is repeatable, as a gradient check needs: two passes at the same
     * parameters on the same rows, dropout's masks held fixed as {@link #check} holds them, must
     * give the same outputs. A layer that draws fresh random numbers in its forward (noise, or a
     * dropout of its own with unseeded masks) makes every central difference measure the noise.
     * {@link #check} asks this itself, and says so in its report.
     *
     * @return the first layer whose output differed, with the two losses; empty when repeatable
     */
    public static Optional<NonRepeatable> nonRepeatable(Network network, Loss loss, Matrix x, int[] labels) {
        Dropout.train(network.layers(), DROPOUT_KEY);
        try {
            return firstDifference(network, loss, x, labels);
        } finally {
            Dropout.evaluate(network.layers());
        }
    }

    private static Optional<NonRepeatable> firstDifference(Network network, Loss loss, Matrix x, int[] labels) {
        List<Matrix> a = copies(network.forwardTrace(x));
        double la = loss.forward(a.get(a.size() - 1), labels);
        List<Matrix> b = network.forwardTrace(x);
        double lb = loss.forward(b.get(b.size() - 1), labels);
        for (int i = 0; i < a.size(); i++) {
            if (!same(a.get(i).data(), b.get(i).data())) {
                return Optional.of(new NonRepeatable(i, network.layers().get(i).kind(), la, lb));
            }
        }
        return Optional.empty();
    }

    private static List<Matrix> copies(List<Matrix> trace) {
        return trace.stream().map(Matrix::copy).toList();
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

    /**
     * The rounding noise of one central difference of a loss of size {@code loss}: the loss is
     * computed to about {@link #LOSS_DIGITS} relative (sums of many terms in float64), and that
     * error is divided by 2h. Below it, two gradients cannot be told apart.
     */
    double noise(double loss) {
        return LOSS_DIGITS * Math.max(1, Math.abs(loss)) / h;
    }

    /** The relative accuracy to which a loss is computed, generously: rounding over many terms in float64. */
    static final double LOSS_DIGITS = 1e-14;

    /** The first entry of the network's parameters that differs from {@code theta}, as {@code W1[0][1]}; null if none. */
    private static String firstChange(Network network, List<Matrix> theta) {
        List<Parameter> ps = network.parameters();
        for (int t = 0; t < ps.size(); t++) {
            double[] now = ps.get(t).value().data(), was = theta.get(t).data();
            for (int i = 0; i < now.length; i++) {
                if (Double.doubleToLongBits(now[i]) != Double.doubleToLongBits(was[i])) {
                    Matrix v = ps.get(t).value();
                    return v.rows() == 1 ? ps.get(t).name() + "[" + i + "]"
                            : ps.get(t).name() + "[" + i / v.cols() + "][" + i % v.cols() + "]";
                }
            }
        }
        return null;
    }

    private List<TensorCheck> checkAtFixedMasks(GradientSource source, List<Matrix> analytic, Network network,
            Loss loss, Matrix x, int[] labels) {

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
        double noise = noise(f.getAsDouble());
        Supplier<List<Object>> regions = () -> regions(network.layers());
        for (int t = 0; t < network.parameters().size(); t++) {
            Parameter p = network.parameters().get(t);
            Parameter own = cached.get(p.value());
            if (own != null) {
                double[] n = numeric.get(t).data();
                boolean[] kink = kinks.get(own);
                results.add(compare(p.name(), p.value(), analytic.get(t), i -> n[i], i -> kink != null && kink[i],
                        noise, maxPerTensor));
            } else {
                results.add(compare(p.name(), p.value(), analytic.get(t), f, regions, maxPerTensor));
            }
        }
        network.zeroGrad();
        return results;
    }

    /**
     * Checks one layer on its own, a user's included: its input gradient and each parameter's,
     * under the probe loss {@code L = Σ y ⊙ R} for a fixed random R (seeded), so dL/dy = R. A
     * layer whose forward gives different outputs for the same input is reported as not
     * repeatable: its central differences measure noise.
     *
     * @param input x: (N, in), left as it was
     */
    public GradientCheckReport checkLayer(Layer layer, Matrix input, long seed) {
        Matrix first = layer.forward(input).copy();
        Matrix probe = probe(first, seed);
        NonRepeatable noisy = null;
        Matrix second = layer.forward(input);
        if (!same(first.data(), second.data())) {
            noisy = new NonRepeatable(0, layer.kind(), dot(first, probe), dot(second, probe));
        }
        List<TensorCheck> results = new ArrayList<>();
        results.add(checkInput(layer, input, probe, "input", maxPerTensor));
        DoubleSupplier f = () -> dot(layer.forward(input), probe);
        for (Parameter p : layer.parameters()) {
            layer.parameters().forEach(Parameter::zeroGrad);
            layer.forward(input);
            layer.backward(probe);
            results.add(compare(p.name(), p.value(), p.grad().copy(), f, () -> regions(List.of(layer)), maxPerTensor));
        }
        layer.parameters().forEach(Parameter::zeroGrad);
        return new GradientCheckReport(results, h, rtol, atol, noisy, null, null);
    }

    /**
     * The input gradient of {@code layer} at {@code input} under the probe loss Σ y ⊙ probe, over
     * at most {@code most} entries; the layer's parameter gradients are left as they were.
     */
    TensorCheck checkInput(Layer layer, Matrix input, Matrix probe, String name, int most) {
        List<Matrix> grads = layer.parameters().stream().map(p -> p.grad().copy()).toList();
        layer.forward(input);
        Matrix dInput = layer.backward(probe).copy();
        for (int i = 0; i < grads.size(); i++) {
            layer.parameters().get(i).grad().copyFrom(grads.get(i));
        }
        return compare(name, input, dInput, () -> dot(layer.forward(input), probe), () -> regions(List.of(layer)), most);
    }

    /** A fixed random dL/dy of y's shape, drawn from {@code seed}. */
    static Matrix probe(Matrix y, long seed) {
        Matrix probe = new Matrix(y.rows(), y.cols());
        Random rng = new Random(seed);
        for (int i = 0; i < probe.size(); i++) {
            probe.data()[i] = rng.nextGaussian();
        }
        return probe;
    }

    private static double dot(Matrix y, Matrix r) {
        double s = 0;
        for (int i = 0; i < y.size(); i++) {
            s += y.data()[i] * r.data()[i];
        }
        return s;
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

    /**
     * Compares analytic with central differences of f, perturbing one entry at a time; each failing
     * entry is also asked whether a kink lies within h (its one-sided slopes differ).
     */
    private TensorCheck compare(String name, Matrix value, Matrix analytic, DoubleSupplier f,
            Supplier<List<Object>> regions, int most) {
        double f0 = f.getAsDouble();
        List<Object> base = regions.get();
        EntryStats s = new EntryStats(rtol, atol, noise(f0));
        double[] v = value.data();
        for (int i : chosen(value.size(), most)) {
            double original = v[i];
            v[i] = original + h;
            double plus = f.getAsDouble();
            boolean crossed = !regions.get().equals(base);
            v[i] = original - h;
            double minus = f.getAsDouble();
            crossed |= !regions.get().equals(base);
            v[i] = original;
            if (crossed) {
                s.kink();
            } else {
                s.add(i, analytic.data()[i], (plus - minus) / (2 * h), Math.abs((plus - f0) - (f0 - minus)) / h);
            }
        }
        return s.result(name, value.rows(), value.cols());
    }

    /**
     * Compares analytic with the central differences {@code numeric} over the chosen entries of
     * value; {@code kink} is asked right after {@code numeric} for the same entry.
     */
    private TensorCheck compare(String name, Matrix value, Matrix analytic, IntToDoubleFunction numeric,
            IntPredicate kink, double noise, int most) {
        EntryStats s = new EntryStats(rtol, atol, noise);
        for (int i : chosen(value.size(), most)) {
            double n = numeric.applyAsDouble(i);
            if (kink.test(i)) {
                s.kink();
            } else {
                s.add(i, analytic.data()[i], n, Double.NaN);
            }
        }
        return s.result(name, value.rows(), value.cols());
    }

    /** At most {@code most} entries of {@code size}, evenly spread. */
    private static int[] chosen(int size, int most) {
        int count = Math.min(size, most);
        int[] at = new int[count];
        for (int k = 0; k < count; k++) {
            at[k] = (int) ((long) k * size / count);
        }
        return at;
    }
}
