package dev.descent.gradient;

import dev.descent.layers.Activation;
import dev.descent.layers.Dense;
import dev.descent.layers.Layer;
import dev.descent.layers.Parameter;
import dev.descent.loss.Loss;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import java.util.List;

/**
 * The same central differences as {@link CentralDifference}, {@code (L(θ+h) − L(θ−h)) / 2h} for
 * every parameter at the same θ, computed without a forward pass per evaluation.
 *
 * <p>Perturbing one weight changes one column of one layer's output, so the rest follows from the
 * activations of a single forward pass (cached). With logits z, p = softmax(z) and
 * ℓ_n = logsumexp(z_n) − z_n[y_n], per sample n:
 * <ul>
 *   <li>the last dense layer (W_L[i][c], b_L[c]) moves logit c by Δ_n (δ·a_ni, or δ), and
 *       {@code ℓ' − ℓ = log1p(p_nc · expm1(Δ_n)) − Δ_n·[y_n = c]};</li>
 *   <li>the dense layer before it (W_{L−1}[i][j], b_{L−1}[j]), through the activation f, moves
 *       hidden unit j by Δa_n = f(z_nj + δ·x_ni) − f(z_nj), so every logit c moves by
 *       Δa_n·W_L[j][c] and {@code ℓ' − ℓ = log1p(Σ_c p_nc · expm1(Δa_n W_L[j][c])) − Δa_n W_L[j][y_n]};</li>
 *   <li>earlier layers, whose change passes through more than one nonlinearity, fall back to
 *       plain central differences.</li>
 * </ul>
 * The loss changes are summed directly, never as the difference of two large losses, so the
 * result carries less rounding than the plain method's (whose error is about ε·|L|/h). For
 * |u| < 1e-3, expm1 and log1p are evaluated by their Taylor series, exact to rounding there.
 *
 * <p>Networks of dense layers with {@link Activation}s between them under
 * {@link SoftmaxCrossEntropy} qualify ({@link #supports}); for any other network (a user's own
 * layer, say) this source is exactly {@link CentralDifference}.
 */
public final class FastCentralDifference implements GradientSource {
    private final double h;
    private final CentralDifference plain;
    private Matrix probabilities; // (N, k), softmax of the cached logits
    private boolean crossed; // set by hiddenChange when z and z + d lie on two sides of a kink
    private java.util.Map<Parameter, boolean[]> kinks; // where to record crossings, or null

    public FastCentralDifference() {
        this(CentralDifference.DEFAULT_H);
    }

    public FastCentralDifference(double h) {
        this.plain = new CentralDifference(h);
        this.h = h;
    }

    public double h() {
        return h;
    }

    /** Whether this engine can compute gradients for {@code network} under {@code loss}. */
    public static boolean supports(Network network, Loss loss) {
        if (!(loss instanceof SoftmaxCrossEntropy)) {
            return false;
        }
        List<Layer> layers = network.layers();
        if (!(layers.get(layers.size() - 1) instanceof Dense)) {
            return false;
        }
        for (Layer l : layers) {
            if (!(l instanceof Dense) && !(l instanceof Activation)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The parameters (of {@code network}'s own layers, not the named copies) whose entries this
     * engine computes from cached activations; the others get the plain method.
     */
    public static List<Parameter> cachedParameters(Network network) {
        List<Layer> layers = network.layers();
        int last = layers.size() - 1;
        Dense out = (Dense) layers.get(last);
        if (last >= 2 && layers.get(last - 2) instanceof Dense hidden && layers.get(last - 1) instanceof Activation) {
            return List.of(out.weights(), out.bias(), hidden.weights(), hidden.bias());
        }
        return List.of(out.weights(), out.bias());
    }

    /**
     * As {@link #computeGradients}, also marking in {@code kinks} (one array per parameter of
     * {@link #cachedParameters}, by value matrix) the entries whose θ ± h put a ReLU unit of some
     * sample on both sides of its kink, where no single slope exists.
     */
    public Result computeGradients(Network network, Loss loss, Matrix x, int[] labels,
            java.util.Map<Parameter, boolean[]> kinks) {
        this.kinks = kinks;
        try {
            return computeGradients(network, loss, x, labels);
        } finally {
            this.kinks = null;
        }
    }

    @Override
    public Result computeGradients(Network network, Loss loss, Matrix x, int[] labels) {
        if (!supports(network, loss)) {
            return plain.computeGradients(network, loss, x, labels);
        }
        List<Layer> layers = network.layers();
        List<Matrix> trace = network.forwardTrace(x);
        int last = layers.size() - 1;
        Matrix logits = trace.get(last).copy();
        double value = loss.forward(logits, labels);
        softmax(logits);
        double scale = loss.reduction() == Reduction.SUM ? 1.0 : 1.0 / labels.length;
        network.zeroGrad();

        Dense out = (Dense) layers.get(last);
        Matrix beforeOut = last == 0 ? x : trace.get(last - 1);
        lastLayer(out, beforeOut, labels, scale);

        int hiddenIndex = last - 2;
        boolean hidden = hiddenIndex >= 0 && layers.get(hiddenIndex) instanceof Dense
                && layers.get(last - 1) instanceof Activation;
        if (hidden) {
            Matrix input = hiddenIndex == 0 ? x : trace.get(hiddenIndex - 1);
            hiddenLayer((Dense) layers.get(hiddenIndex), (Activation) layers.get(last - 1), trace.get(hiddenIndex),
                    trace.get(last - 1), out, input, labels, scale);
        }
        // Earlier layers: plain central differences (these forward passes overwrite the trace).
        List<Parameter> fast = cachedParameters(network);
        for (Parameter p : network.parameters()) {
            if (fast.stream().noneMatch(f -> f.value() == p.value())) {
                double[] grad = p.grad().data();
                for (int i = 0; i < grad.length; i++) {
                    grad[i] += plain.partial(network, loss, x, labels, p, i);
                }
            }
        }
        return new Result(value, logits);
    }

    /** Row-wise softmax of the logits into {@link #probabilities}. */
    private void softmax(Matrix logits) {
        probabilities = SoftmaxCrossEntropy.softmax(logits);
    }

    /** W_L[i][c] and b_L[c]: logit c of sample n moves by δ·a_ni (or δ). */
    private void lastLayer(Dense layer, Matrix a, int[] labels, double scale) {
        double[] P = probabilities.data(), A = a.data();
        double[] gW = layer.weights().grad().data(), gB = layer.bias().grad().data();
        int n = a.rows(), in = a.cols(), k = layer.outputSize();
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < in; i++) {
                double up = 0, down = 0;
                for (int r = 0; r < n; r++) {
                    double ai = A[r * in + i];
                    if (ai != 0.0) {
                        double p = P[r * k + c];
                        boolean label = labels[r] == c;
                        up += logitChange(p, h * ai, label);
                        down += logitChange(p, -h * ai, label);
                    }
                }
                gW[i * k + c] += scale * (up - down) / (2 * h);
            }
            double up = 0, down = 0;
            for (int r = 0; r < n; r++) {
                double p = P[r * k + c];
                boolean label = labels[r] == c;
                up += logitChange(p, h, label);
                down += logitChange(p, -h, label);
            }
            gB[c] += scale * (up - down) / (2 * h);
        }
    }

    /** ℓ' − ℓ when one logit, of probability p, moves by d. */
    private static double logitChange(double p, double d, boolean isLabel) {
        return log1p(p * expm1(d)) - (isLabel ? d : 0.0);
    }

    /** W_{L−1}[i][j] and b_{L−1}[j]: hidden unit j of sample n moves through f, then every logit. */
    private void hiddenLayer(Dense layer, Activation f, Matrix z, Matrix a, Dense out, Matrix input, int[] labels,
            double scale) {
        double[] Z = z.data(), A = a.data(), X = input.data(), W = out.weights().value().data();
        double[] gW = layer.weights().grad().data(), gB = layer.bias().grad().data();
        int n = z.rows(), units = z.cols(), in = input.cols(), k = out.outputSize();
        double[] unitUp = new double[n], unitDown = new double[n];
        boolean[] unitCrossed = new boolean[n];
        boolean[] kinkW = kinks == null ? null : kinks.computeIfAbsent(layer.weights(), p -> new boolean[p.size()]);
        boolean[] kinkB = kinks == null ? null : kinks.computeIfAbsent(layer.bias(), p -> new boolean[p.size()]);
        for (int j = 0; j < units; j++) {
            // The changes for a step of exactly ±h, shared by the bias and every input equal to 1.
            double biasUp = 0, biasDown = 0;
            boolean biasCrossed = false;
            for (int r = 0; r < n; r++) {
                crossed = false;
                unitUp[r] = hiddenChange(f, Z[r * units + j], A[r * units + j], h, W, j, k, r, labels[r]);
                unitDown[r] = hiddenChange(f, Z[r * units + j], A[r * units + j], -h, W, j, k, r, labels[r]);
                unitCrossed[r] = crossed;
                biasCrossed |= crossed;
                biasUp += unitUp[r];
                biasDown += unitDown[r];
            }
            gB[j] += scale * (biasUp - biasDown) / (2 * h);
            if (kinkB != null) {
                kinkB[j] = biasCrossed;
            }
            for (int i = 0; i < in; i++) {
                double up = 0, down = 0;
                boolean any = false;
                for (int r = 0; r < n; r++) {
                    double xi = X[r * in + i];
                    if (xi == 1.0) {
                        up += unitUp[r];
                        down += unitDown[r];
                        any |= unitCrossed[r];
                    } else if (xi != 0.0) {
                        crossed = false;
                        up += hiddenChange(f, Z[r * units + j], A[r * units + j], h * xi, W, j, k, r, labels[r]);
                        down += hiddenChange(f, Z[r * units + j], A[r * units + j], -h * xi, W, j, k, r, labels[r]);
                        any |= crossed;
                    }
                }
                gW[i * units + j] += scale * (up - down) / (2 * h);
                if (kinkW != null) {
                    kinkW[i * units + j] = any;
                }
            }
        }
    }

    /** ℓ' − ℓ for sample r when hidden unit j's pre-activation z moves by d. */
    private double hiddenChange(Activation f, double z, double a, double d, double[] W, int j, int k, int r, int label) {
        double da;
        if (f instanceof Activation.Relu) {
            crossed |= (z > 0) != (z + d > 0);
        }
        if (f instanceof Activation.Relu && z > 0 && z + d > 0) {
            da = d; // exact: forming z + d and subtracting would round away digits of d
        } else {
            da = f.valueAt(z + d) - a;
        }
        if (da == 0.0) {
            return 0.0;
        }
        double[] P = probabilities.data();
        double s = 0;
        for (int c = 0; c < k; c++) {
            s += P[r * k + c] * expm1(da * W[j * k + c]);
        }
        return log1p(s) - da * W[j * k + label];
    }

    /** e^u − 1: a Taylor series for |u| < 1e-3 (error below 1e-17 relative), else Math.expm1. */
    static double expm1(double u) {
        if (Math.abs(u) < 1e-3) {
            return u * (1 + u * (0.5 + u * (1.0 / 6 + u * (1.0 / 24 + u * (1.0 / 120)))));
        }
        return Math.expm1(u);
    }

    /** ln(1 + s): a Taylor series for |s| < 1e-3 (error below 1e-17 relative), else Math.log1p. */
    static double log1p(double s) {
        if (Math.abs(s) < 1e-3) {
            return s * (1 - s * (0.5 - s * (1.0 / 3 - s * (0.25 - s * (0.2 - s / 6)))));
        }
        return Math.log1p(s);
    }

    @Override
    public String describe() {
        return "numerical (central differences from cached activations, h = " + h + ")";
    }
}
