package dev.descent.gradient;

import dev.descent.layers.Parameter;
import dev.descent.loss.Loss;
import dev.descent.loss.Objective;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gradient estimated from values alone, along random directions: simultaneous perturbation
 * (SPSA, Spall (1992), "Multivariate Stochastic Approximation Using a Simultaneous Perturbation
 * Gradient Approximation", IEEE TAC 37(3)) with Gaussian directions, as MeZO takes it (Malladi,
 * Gao, Nichani, Damian, Lee, Chen and Arora (2023), "Fine-Tuning Language Models with Just Forward
 * Passes", NeurIPS, Definition 1). For n directions z_k ~ N(0, I_d):
 * <pre>
 *   s_k = (L(θ + ε z_k) − L(θ − ε z_k)) / 2ε       the central difference along z_k
 *   ĝ   = (1/n) Σ_k s_k z_k                          n-SPSA
 * </pre>
 * Since E[z zᵀ] = I, E[ĝ] = ∇L + O(ε²): an unbiased estimate of the gradient, whatever n, at a
 * cost of 2n forward passes, against 2d for central differences over every coordinate
 * ({@link CentralDifference}). Its price is variance: the cosine between ĝ and ∇L is about
 * √(n/d) when d ≫ n (exactly, cos² ~ Beta(n/2, (d−1)/2) for exact slopes), so ZO-SGD needs many
 * more steps than gradient descent (MeZO's Lemma 2: its rate is slowed by the loss's effective
 * rank, not d itself).
 *
 * <p>z is never stored: it is a function of a key and each parameter's index ({@link Gaussian}),
 * regenerated slice by slice when θ is perturbed and again for ĝ, as MeZO regenerates it from
 * a seed. The trainer keys each step from the run's seed, the epoch and the batch ({@link #key}),
 * as dropout's masks are, so a resumed run draws the same directions; direction k of a step has
 * the key {@link #directionKey}.
 *
 * <p>L may be any {@link Objective}: the loss, or a metric without a gradient (accuracy, F1).
 *
 * <p>This is the reference schedule: it writes θ ± εz into the network's own parameters and runs
 * the network's forward, so it takes any network, and puts θ back from a copy, exactly. The
 * fused step ({@code dev.descent.fused.FusedSpsa}) runs the same kernels on its own schedule,
 * without the copy. The kernels, float64 with the float32 twin below each: {@link #perturb},
 * {@link #reflect}, {@link #direction}, {@link #accumulate}.
 */
public final class Spsa implements GradientSource {
    /** MeZO's ε: large enough that a float32 forward pass resolves the difference, small enough for O(ε²). */
    public static final double DEFAULT_H = 1e-3;

    /** Values of z generated at a time: a slice that stays in the L1 cache. */
    public static final int SLICE = 2048;

    private final double h;
    private final int directions;
    private final Objective objective;
    private volatile long key;
    private double[][] saved; // θ while it is perturbed in place (the reference schedule only)
    private final double[] z = new double[SLICE];

    /**
     * @param h          ε, the step of the central difference along each direction
     * @param directions n, the directions averaged in each estimate
     * @param objective  what is minimised: the loss, or a metric without a gradient
     */
    public Spsa(double h, int directions, Objective objective) {
        if (!(h > 0) || Double.isInfinite(h)) {
            throw new IllegalArgumentException("the perturbation ε must be positive and finite, got " + h);
        }
        if (directions < 1) {
            throw new IllegalArgumentException("SPSA needs at least one direction, got " + directions);
        }
        this.h = h;
        this.directions = directions;
        this.objective = objective;
    }

    public double h() {
        return h;
    }

    public int directions() {
        return directions;
    }

    public Objective objective() {
        return objective;
    }

    /** The key of the estimates from now on: the trainer's key of each step (seed, epoch, batch). */
    public void key(long key) {
        this.key = key;
    }

    public long key() {
        return key;
    }

    /** The key of direction k of the step keyed {@code stepKey}: its z is {@code Gaussian.at(directionKey, index)}. */
    public static long directionKey(long stepKey, int k) {
        return Gaussian.key(stepKey ^ 0x5B5A_D1CEL, k);
    }

    /**
     * What a step measured: the slope s_k along each direction, the loss averaged over the 2n
     * points (L(θ) + O(ε²)), and the output at the last of them.
     */
    public record Slopes(double[] slopes, double loss, Matrix output) {}

    /** The central differences along this step's n directions, θ left exactly as it was. */
    public Slopes measure(Network network, Loss loss, Matrix x, int[] labels) {
        List<Parameter> ps = network.parameters();
        double[][] theta = save(ps);
        double[] slopes = new double[directions];
        double lossSum = 0;
        Matrix output = null;
        try {
            for (int k = 0; k < directions; k++) {
                long dk = directionKey(key, k);
                forEachSlice(ps, (t, from, to, offset) -> {
                    Gaussian.fill(dk, offset + from, z, to - from);
                    perturb(theta[t], from, to, h, z, ps.get(t).value().data());
                });
                output = network.forward(x);
                double plus = objective.value(loss, output, labels);
                lossSum += objective.isLoss() ? plus : loss.forward(output, labels);
                for (int t = 0; t < ps.size(); t++) {
                    reflect(theta[t], 0, theta[t].length, ps.get(t).value().data());
                }
                output = network.forward(x);
                double minus = objective.value(loss, output, labels);
                lossSum += objective.isLoss() ? minus : loss.forward(output, labels);
                slopes[k] = (plus - minus) / (2 * h);
            }
        } finally {
            for (int t = 0; t < ps.size(); t++) {
                System.arraycopy(theta[t], 0, ps.get(t).value().data(), 0, theta[t].length);
            }
        }
        return new Slopes(slopes, lossSum / (2 * directions), output);
    }

    /** ĝ = (1/n) Σ_k s_k z_k into every parameter's gradient, after {@link #measure}; θ left as it was. */
    @Override
    public Result computeGradients(Network network, Loss loss, Matrix x, int[] labels) {
        Slopes s = measure(network, loss, x, labels);
        network.zeroGrad();
        List<Parameter> ps = network.parameters();
        forEachSlice(ps, (t, from, to, offset) -> {
            double[] g = ps.get(t).grad().data();
            for (int k = 0; k < directions; k++) {
                Gaussian.fill(directionKey(key, k), offset + from, z, to - from);
                accumulate(s.slopes()[k] / directions, z, to - from, g, from);
            }
        });
        return new Result(s.loss(), s.output());
    }

    private double[][] save(List<Parameter> ps) {
        if (saved == null || saved.length != ps.size()) {
            saved = new double[ps.size()][];
        }
        for (int t = 0; t < ps.size(); t++) {
            double[] v = ps.get(t).value().data();
            if (saved[t] == null || saved[t].length != v.length) {
                saved[t] = new double[v.length];
            }
            System.arraycopy(v, 0, saved[t], 0, v.length);
        }
        return saved;
    }

    private interface Slice {
        /** Entries [from, to) of tensor t, whose entry 0 is entry {@code offset} of the concatenated θ. */
        void run(int t, int from, int to, long offset);
    }

    private static void forEachSlice(List<Parameter> ps, Slice body) {
        long offset = 0;
        for (int t = 0; t < ps.size(); t++) {
            int size = ps.get(t).size();
            for (int from = 0; from < size; from += SLICE) {
                body.run(t, from, Math.min(size, from + SLICE), offset);
            }
            offset += size;
        }
    }

    // ---- kernels: float64, then the float32 twin; θ is never written -----------------------------

    /** out[i] = θ[i] + c·z[i − from] for i in [from, to): the point θ + c·z. */
    public static void perturb(double[] theta, int from, int to, double c, double[] z, double[] out) {
        for (int i = from; i < to; i++) {
            out[i] = theta[i] + c * z[i - from];
        }
    }

    /** The float32 twin: the point rounded to float. */
    public static void perturb(double[] theta, int from, int to, double c, double[] z, float[] out) {
        for (int i = from; i < to; i++) {
            out[i] = (float) (theta[i] + c * z[i - from]);
        }
    }

    /**
     * out[i] = 2θ[i] − out[i] for i in [from, to): θ + c·z reflected through θ to θ − c·z, without
     * drawing z again (to rounding: a difference of 1 ulp of θ, against c·z of 1e-3).
     */
    public static void reflect(double[] theta, int from, int to, double[] out) {
        for (int i = from; i < to; i++) {
            out[i] = 2 * theta[i] - out[i];
        }
    }

    /** The float32 twin. */
    public static void reflect(double[] theta, int from, int to, float[] out) {
        for (int i = from; i < to; i++) {
            out[i] = (float) (2 * theta[i] - out[i]);
        }
    }

    /**
     * z[i − from] = (θ[i] − point[i]) / c for i in [from, to): the direction of the point θ − c·z,
     * read back instead of drawn again (to rounding: 1 ulp of θ over c, and the direction the two
     * points were actually apart along).
     */
    public static void direction(double[] theta, int from, int to, double c, double[] point, double[] z) {
        for (int i = from; i < to; i++) {
            z[i - from] = (theta[i] - point[i]) / c;
        }
    }

    /** The float32 twin: the point in float. */
    public static void direction(double[] theta, int from, int to, double c, float[] point, double[] z) {
        for (int i = from; i < to; i++) {
            z[i - from] = (theta[i] - point[i]) / c;
        }
    }

    /** g[gOff + j] += w·z[j] for j in [0, len): direction k's share of ĝ, w = s_k / n. */
    public static void accumulate(double w, double[] z, int len, double[] g, int gOff) {
        for (int j = 0; j < len; j++) {
            g[gOff + j] += w * z[j];
        }
    }

    /** {@code gradient: spsa}, ε, the directions and the objective. */
    @Override
    public Map<String, Object> provenance() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("gradient", "spsa");
        p.put("h", h);
        p.put("directions", directions);
        p.put("objective", objective.toString());
        return p;
    }

    @Override
    public String describe() {
        return "spsa (central differences along " + directions + " random direction" + (directions == 1 ? "" : "s")
                + " a step, ε = " + h + (objective.isLoss() ? "" : ", objective " + objective) + ")";
    }
}
