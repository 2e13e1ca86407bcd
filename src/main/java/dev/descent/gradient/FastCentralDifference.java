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
import java.util.Map;

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
 * result carries less rounding than the plain method's (whose error is about ε·|L|/h). Both
 * changes are cumulant generating functions less a linear term, so for small steps the central
 * difference, which sees only their odd part, is summed as a three-term cumulant series (see
 * {@link #lastLayer} and {@link #hiddenLayer}); otherwise they are evaluated directly, with expm1
 * and log1p by their Taylor series below 1e-3, exact to rounding there.
 *
 * <p>Networks of dense layers with {@link Activation}s between them under
 * {@link SoftmaxCrossEntropy} qualify ({@link #supports}); for any other network (a user's own
 * layer, say) this source is exactly {@link CentralDifference}.
 */
public final class FastCentralDifference implements GradientSource {
    private final double h;
    private final CentralDifference plain;
    private Matrix probabilities; // (N, k), softmax of the cached logits

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
        if (!(loss instanceof SoftmaxCrossEntropy ce) || ce.weighted()) { // its formulas are the unweighted loss's
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
            Map<Parameter, boolean[]> kinks) {
        return compute(network, loss, x, labels, kinks);
    }

    @Override
    public Result computeGradients(Network network, Loss loss, Matrix x, int[] labels) {
        return compute(network, loss, x, labels, null);
    }

    private Result compute(Network network, Loss loss, Matrix x, int[] labels,
            Map<Parameter, boolean[]> kinks) {
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
                    trace.get(last - 1), out, input, labels, scale, kinks);
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

    /**
     * Below this |Δ|·max|w| the loss change's odd part is summed as a series (exact to rounding
     * there: the first term left out is below 1e-20 of the kept ones).
     */
    static final double SERIES_LIMIT = 1e-3;

    /**
     * W_L[i][c] and b_L[c]: logit c of sample n moves by d = ±h·a_ni (or ±h). The loss change
     * {@code f(d) = log1p(p·expm1(d)) − d·[y = c]} is the cumulant generating function of a
     * Bernoulli(p) less a linear term, so its odd part, all a central difference sees, is
     * {@code (f(d) − f(−d)) / 2 = (p − [y = c])·d + κ3 d³/6 + κ5 d⁵/120} with
     * κ3 = p(1−p)(1−2p) and κ5 = p(1−p)(1−2p)(1−12p+12p²).
     */
    private void lastLayer(Dense layer, Matrix a, int[] labels, double scale) {
        double[] P = probabilities.data(), A = a.data();
        double[] gW = layer.weights().grad().data(), gB = layer.bias().grad().data();
        int n = a.rows(), in = a.cols(), k = layer.outputSize();
        double[] c1 = new double[n], c3 = new double[n], c5 = new double[n];
        for (int c = 0; c < k; c++) {
            for (int r = 0; r < n; r++) {
                double p = P[r * k + c], v = p * (1 - p) * (1 - 2 * p);
                c1[r] = p - (labels[r] == c ? 1 : 0);
                c3[r] = v / 6;
                c5[r] = v * (1 - 12 * p + 12 * p * p) / 120;
            }
            for (int i = 0; i < in; i++) {
                double sum = 0;
                for (int r = 0; r < n; r++) {
                    double ai = A[r * in + i];
                    if (ai != 0.0) {
                        sum += logitDifference(P[r * k + c], labels[r] == c, ai, c1[r], c3[r], c5[r]);
                    }
                }
                gW[i * k + c] += scale * sum;
            }
            double sum = 0;
            for (int r = 0; r < n; r++) {
                sum += logitDifference(P[r * k + c], labels[r] == c, 1.0, c1[r], c3[r], c5[r]);
            }
            gB[c] += scale * sum;
        }
    }

    /** (ℓ(+h·a) − ℓ(−h·a)) / 2h for one sample whose logit, of probability p, moves by ±h·a. */
    private double logitDifference(double p, boolean isLabel, double a, double c1, double c3, double c5) {
        double d = h * a;
        if (Math.abs(d) < SERIES_LIMIT) {
            double d2 = d * d;
            return a * (c1 + d2 * (c3 + d2 * c5));
        }
        return (logitChange(p, d, isLabel) - logitChange(p, -d, isLabel)) / (2 * h);
    }

    /** ℓ' − ℓ when one logit, of probability p, moves by d. */
    private static double logitChange(double p, double d, boolean isLabel) {
        return log1p(p * expm1(d)) - (isLabel ? d : 0.0);
    }

    /**
     * W_{L−1}[i][j] and b_{L−1}[j]: hidden unit j of sample r moves through f, then every logit c
     * by Δa·W_L[j][c]. For a ReLU unit that stays on the same side of its kink at both ±d, Δa = ±d
     * exactly, and the loss change {@code g(x) = log Σ_c p_c e^(x w_c) − x w_y} is the cumulant
     * generating function of w = W_L[j][·] under p less a linear term: its odd part is
     * {@code (μ − w_y) x + κ3 x³/6 + κ5 x⁵/120}, with μ the mean of w under p, κ3 its third central
     * moment and κ5 = m5 − 10 m3 m2. Every other case is evaluated directly.
     */
    private void hiddenLayer(Dense layer, Activation f, Matrix z, Matrix a, Dense out, Matrix input, int[] labels,
            double scale, Map<Parameter, boolean[]> kinks) {
        double[] Z = z.data(), A = a.data(), X = input.data();
        double[] gW = layer.weights().grad().data(), gB = layer.bias().grad().data();
        int n = z.rows(), units = z.cols(), in = input.cols();
        boolean[] kinkW = kinks == null ? null : kinks.computeIfAbsent(layer.weights(), p -> new boolean[p.size()]);
        boolean[] kinkB = kinks == null ? null : kinks.computeIfAbsent(layer.bias(), p -> new boolean[p.size()]);
        Unit unit = new Unit(f, out.weights().value().data(), out.outputSize(), probabilities.data(), labels);
        for (int j = 0; j < units; j++) {
            unit.moveTo(j);
            double sum = 0;
            for (int r = 0; r < n; r++) {
                sum += unit.difference(r, Z[r * units + j], A[r * units + j], 1.0);
            }
            gB[j] += scale * sum;
            if (kinkB != null) {
                kinkB[j] = unit.crossed;
            }
            for (int i = 0; i < in; i++) {
                unit.crossed = false;
                sum = 0;
                for (int r = 0; r < n; r++) {
                    double xi = X[r * in + i];
                    if (xi != 0.0) {
                        sum += unit.difference(r, Z[r * units + j], A[r * units + j], xi);
                    }
                }
                gW[i * units + j] += scale * sum;
                if (kinkW != null) {
                    kinkW[i * units + j] = unit.crossed;
                }
            }
        }
    }

    /**
     * One hidden unit j of the layer before the output, seen from every sample: the central
     * differences of the loss when its pre-activation moves, and whether any of them crossed a
     * ReLU kink since {@link #crossed} was last cleared.
     */
    private final class Unit {
        final Activation f;
        final boolean relu;
        final double[] W; // W_L: (units, k)
        final int k;
        final double[] P; // softmax of the logits: (N, k)
        final int[] labels;
        final double[] c1, c3, c5; // per sample: the odd cumulant series of the loss change (ReLU)
        int j;
        double wMax; // max_c |W_L[j][c]|
        boolean crossed;

        Unit(Activation f, double[] W, int k, double[] P, int[] labels) {
            this.f = f;
            this.relu = f instanceof Activation.Relu;
            this.W = W;
            this.k = k;
            this.P = P;
            this.labels = labels;
            int n = labels.length;
            c1 = new double[n];
            c3 = new double[n];
            c5 = new double[n];
        }

        /** Unit j: its largest outgoing weight and, for ReLU, each sample's cumulants; clears {@link #crossed}. */
        void moveTo(int j) {
            this.j = j;
            crossed = false;
            wMax = 0;
            for (int c = 0; c < k; c++) {
                wMax = Math.max(wMax, Math.abs(W[j * k + c]));
            }
            for (int r = 0; r < labels.length && relu; r++) {
                double mu = 0;
                for (int c = 0; c < k; c++) {
                    mu += P[r * k + c] * W[j * k + c];
                }
                double m2 = 0, m3 = 0, m5 = 0;
                for (int c = 0; c < k; c++) {
                    double e = W[j * k + c] - mu, e2 = e * e, p = P[r * k + c];
                    m2 += p * e2;
                    m3 += p * e2 * e;
                    m5 += p * e2 * e2 * e;
                }
                c1[r] = mu - W[j * k + labels[r]];
                c3[r] = m3 / 6;
                c5[r] = (m5 - 10 * m3 * m2) / 120;
            }
        }

        /** (ℓ(+h·x) − ℓ(−h·x)) / 2h for sample r, whose pre-activation z (output a) moves by ±h·x. */
        double difference(int r, double z, double a, double x) {
            double d = h * x, ad = Math.abs(d);
            if (relu && ad * wMax < SERIES_LIMIT) {
                if (z > ad) {
                    double d2 = d * d;
                    return x * (c1[r] + d2 * (c3[r] + d2 * c5[r])); // on at both ±d: Δa = ±d
                }
                if (z <= -ad) {
                    return 0.0; // off at both ±d: nothing moves
                }
            }
            return (change(r, z, a, d) - change(r, z, a, -d)) / (2 * h);
        }

        /** ℓ' − ℓ for sample r when the pre-activation z moves by d. */
        private double change(int r, double z, double a, double d) {
            double da;
            if (relu) {
                crossed |= (z > 0) != (z + d > 0);
            }
            if (relu && z > 0 && z + d > 0) {
                da = d; // exact: forming z + d and subtracting would round away digits of d
            } else {
                da = f.valueAt(z + d) - a;
            }
            if (da == 0.0) {
                return 0.0;
            }
            double s = 0;
            for (int c = 0; c < k; c++) {
                s += P[r * k + c] * expm1(da * W[j * k + c]);
            }
            return log1p(s) - da * W[j * k + labels[r]];
        }
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
    public Map<String, Object> provenance() {
        return plain.provenance();
    }

    @Override
    public String describe() {
        return "numerical (central differences from cached activations, h = " + h + ")";
    }
}
