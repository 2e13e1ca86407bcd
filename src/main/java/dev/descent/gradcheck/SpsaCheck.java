package dev.descent.gradcheck;

import dev.descent.gradient.Gaussian;
import dev.descent.gradient.GradientSource;
import dev.descent.gradient.Spsa;
import dev.descent.layers.Dropout;
import dev.descent.layers.Parameter;
import dev.descent.loss.Loss;
import dev.descent.loss.Objective;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Checks a zeroth-order estimate statistically, since no single draw of it is the gradient: over
 * many draws (each its own key), the cosine between the estimate ĝ and the true gradient g
 * (backprop's, itself checked against central differences by {@link GradientCheck}), its mean and
 * spread against what theory predicts for Gaussian directions; the projection gᵀĝ/‖g‖², whose
 * mean is 1 for an estimate of the right sign and scale; and the bias of the central difference
 * along a direction, which shrinks with ε.
 *
 * <p>Theory, for n directions z_k ~ N(0, I_d) and exact slopes: writing a_k = gᵀz_k/‖g‖ and the
 * rest of each z_k orthogonal to g, cos² = A/(A + C) with A ~ χ²_n and C ~ χ²_{d−1} independent,
 * so cos² ~ Beta(n/2, (d−1)/2): E[cos²] = n/(n + d − 1), and
 * <pre>
 *   E[cos] = Γ((n+1)/2)·Γ((n+d−1)/2) / (Γ(n/2)·Γ((n+d)/2))   ≈ √(n/d) for d ≫ n
 * </pre>
 * and gᵀĝ/‖g‖² = (1/n)·Σ a_k², of mean 1 and variance 2/n. The mean of D estimates is an
 * estimate of nD directions, so its cosine tends to 1 as D grows (E[ĝ] = g).
 */
public final class SpsaCheck {
    /** Draws by default: the mean cosine to about 7% of its spread. */
    public static final int DEFAULT_DRAWS = 200;

    /** The ε of the bias's table, largest first. */
    static final double[] EPSILONS = {1e-1, 1e-2, 1e-3, 1e-4};

    /** Directions along which the bias is measured for each ε. */
    static final int BIAS_DIRECTIONS = 20;

    private final int draws;

    public SpsaCheck(int draws) {
        if (draws < 2) {
            throw new IllegalArgumentException("a statistical check needs at least 2 draws, got " + draws);
        }
        this.draws = draws;
    }

    /**
     * Checks {@code estimate} (what trains: a step's gradient source, keyed through {@code key})
     * against the gradient {@code truth} on the batch x: (N, in), labels (N), with dropout's masks
     * held as {@link GradientCheck} holds them. θ is left as it was.
     *
     * @param directions n, the directions each estimate averages
     * @param h          the estimate's ε
     */
    public SpsaCheckReport check(GradientSource estimate, LongConsumer key, int directions, double h,
            GradientSource truth, Network network, Loss loss, Matrix x, int[] labels) {
        Dropout.train(network.layers(), GradientCheck.DROPOUT_KEY);
        try {
            truth.computeGradients(network, loss, x, labels);
            double[] g = flat(network.parameters());
            double gg = dot(g, g);
            double[] cosines = new double[draws], projections = new double[draws], sum = new double[g.length];
            for (int j = 0; j < draws; j++) {
                key.accept(Gaussian.key(0xC4EC, j));
                estimate.computeGradients(network, loss, x, labels);
                double[] e = flat(network.parameters());
                cosines[j] = dot(e, g) / Math.sqrt(dot(e, e) * gg);
                projections[j] = dot(e, g) / gg;
                for (int i = 0; i < g.length; i++) {
                    sum[i] += e[i];
                }
            }
            double meanCosine = dot(sum, g) / Math.sqrt(dot(sum, sum) * gg);
            List<SpsaCheckReport.Bias> bias = bias(g, network, loss, x, labels);
            network.zeroGrad();
            return new SpsaCheckReport(g.length, directions, h, draws, cosines, projections, meanCosine, bias);
        } finally {
            Dropout.evaluate(network.layers());
        }
    }

    /**
     * For each ε, the median over {@link #BIAS_DIRECTIONS} directions of |s(ε) − gᵀz| / |gᵀz|:
     * the central difference's error against the exact slope along z, O(ε²) where the loss is
     * smooth, larger where a ReLU unit switches within ±εz, and rounding's ε_mach·|L|/ε at small ε.
     */
    private List<SpsaCheckReport.Bias> bias(double[] g, Network network, Loss loss, Matrix x, int[] labels) {
        List<SpsaCheckReport.Bias> rows = new ArrayList<>();
        double[] z = new double[g.length];
        for (double eps : EPSILONS) {
            Spsa along = new Spsa(eps, 1, Objective.LOSS);
            double[] errors = new double[BIAS_DIRECTIONS];
            for (int j = 0; j < BIAS_DIRECTIONS; j++) {
                long stepKey = Gaussian.key(0xB1A5, j);
                along.key(stepKey);
                double slope = along.measure(network, loss, x, labels).slopes()[0];
                Gaussian.fill(Spsa.directionKey(stepKey, 0), 0, z, z.length);
                double exact = dot(g, z);
                errors[j] = Math.abs(slope - exact) / Math.max(Math.abs(exact), 1e-300);
            }
            Arrays.sort(errors);
            rows.add(new SpsaCheckReport.Bias(eps, (errors[(BIAS_DIRECTIONS - 1) / 2] + errors[BIAS_DIRECTIONS / 2]) / 2));
        }
        return rows;
    }

    /** E[cos] between an estimate of n Gaussian directions and the gradient, in d dimensions (exact slopes). */
    public static double expectedCosine(int n, long d) {
        return Math.exp(logGamma((n + 1) / 2.0) + logGamma((n + d - 1) / 2.0) - logGamma(n / 2.0)
                - logGamma((n + d) / 2.0));
    }

    /** The standard deviation of that cosine over draws: √(E[cos²] − E[cos]²), E[cos²] = n/(n + d − 1). */
    public static double cosineSpread(int n, long d) {
        double mean = expectedCosine(n, d);
        return Math.sqrt(Math.max(0, (double) n / (n + d - 1) - mean * mean));
    }

    /**
     * ln Γ(x) for x > 0, by Lanczos' approximation (g = 7, 9 terms; relative error below 1e-13),
     * as Numerical Recipes and Boost give it.
     */
    static double logGamma(double x) {
        if (x < 0.5) { // reflection: Γ(x)Γ(1 − x) = π / sin(πx)
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7};
        x -= 1;
        double a = c[0], t = x + 7.5;
        for (int i = 1; i < c.length; i++) {
            a += c[i] / (x + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }

    private static double[] flat(List<Parameter> ps) {
        int n = 0;
        for (Parameter p : ps) {
            n += p.size();
        }
        double[] all = new double[n];
        int at = 0;
        for (Parameter p : ps) {
            System.arraycopy(p.grad().data(), 0, all, at, p.size());
            at += p.size();
        }
        return all;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
