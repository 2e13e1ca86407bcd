package dev.descent.fused;

import dev.descent.gradient.Gaussian;
import dev.descent.gradient.Spsa;
import dev.descent.layers.Parameter;
import dev.descent.loss.Loss;
import dev.descent.loss.Reduction;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Matrix;
import dev.descent.tensor.NativeProducts;
import dev.descent.tensor.Parallel;
import java.util.Arrays;
import java.util.List;

/**
 * A zeroth-order step's schedule in the type {@code A}, for a network that {@link Schedule#fits}:
 * for each direction, the point θ + εz written by the cores a slice of θ each, a forward pass
 * ({@link Forward}, the cores a block of rows each), the point reflected to θ − εz, a forward
 * pass; then the update, each core regenerating the directions over its share of θ a slice at a
 * time and handing the slice of ĝ to the optimizer. Every formula is a kernel of {@link Spsa},
 * of a layer or of the loss.
 *
 * <p>θ itself, the network's own doubles, is only read until the update: the forward passes read
 * the point from an array of their own ({@code point}), float in float32 (the copy any float32
 * forward pass needs) and double in float64. So θ is bit for bit where it started after a step's
 * evaluations, whatever rounding did to the point, and the update is applied to θ in double,
 * which also keeps a resumed run exact. MeZO perturbs θ in place instead (+εz, −2εz, +εz), which
 * saves the point's memory in float64 but does not restore θ exactly in floating point.
 *
 * <p>No array of θ's size is allocated for z or ĝ: each core holds a slice of each
 * ({@link Spsa#SLICE} values), regenerated from the direction's key, but for the last direction's,
 * which the update reads back from the point θ − εz it left ({@link Spsa#direction}): a step of
 * one direction draws z once, in the pass that writes θ + εz.
 */
final class SpsaSchedule<A> {
    /** Values of θ per core below which a pass over θ stays on one core. */
    static final int SPLIT = 4 * Spsa.SLICE;

    private final Ops<A> ops;
    private final Forward<A> forward;
    private final double[][] value; // θ: the network's own arrays, W1, b1, W2, ...
    private final A[] point; // θ ± εz, as the forward pass reads it
    private final long[] offset; // where each tensor starts in the concatenated θ
    private final int total, splits;
    private final double[][] z = new double[Parallel.THREADS][Spsa.SLICE]; // per core: a slice of z
    private final double[][] g = new double[Parallel.THREADS][Spsa.SLICE]; // per core: a slice of ĝ

    @SuppressWarnings("unchecked")
    private SpsaSchedule(Ops<A> ops, Forward<A> forward, Network network) {
        this.ops = ops;
        this.forward = forward;
        List<Parameter> ps = network.parameters();
        value = new double[ps.size()][];
        point = (A[]) new Object[ps.size()];
        offset = new long[ps.size()];
        long n = 0;
        for (int t = 0; t < ps.size(); t++) {
            value[t] = ps.get(t).value().data();
            point[t] = ops.alloc(value[t].length);
            offset[t] = n;
            n += value[t].length;
        }
        total = (int) n;
        splits = NativeProducts.singleThreaded() ? Parallel.THREADS : 1;
    }

    /** The schedule of {@code network} in the type of {@code ops}, or null when it does not {@link Schedule#fits}. */
    static <A> SpsaSchedule<A> of(Ops<A> ops, Network network) {
        Forward<A> forward = Forward.of(ops, network);
        return forward == null ? null : new SpsaSchedule<>(ops, forward, network);
    }

    /**
     * The central differences along the n directions of the step keyed {@code spsa.key()} on x
     * (or on {@code rows}); the output at the last point into {@code logits}. θ is only read.
     */
    Spsa.Slopes measure(Spsa spsa, Matrix x, Schedule.Rows rows, int[] labels, Loss loss, Matrix logits) {
        int n = spsa.directions(), batch = x.rows();
        double h = spsa.h();
        double[] slopes = new double[n];
        double lossSum = 0;
        for (int k = 0; k < n; k++) {
            long key = Spsa.directionKey(spsa.key(), k);
            slices((part, t, lo, hi) -> {
                Gaussian.fill(key, offset[t] + lo, z[part], hi - lo);
                ops.perturb(value[t], lo, hi, h, z[part], point[t]);
            });
            double lossPlus = reduce(loss, forward.run(point, x, rows, labels, loss, logits), batch);
            double plus = spsa.objective().isLoss() ? lossPlus : spsa.objective().value(loss, logits, labels);
            slices((part, t, lo, hi) -> ops.reflect(value[t], lo, hi, point[t]));
            double lossMinus = reduce(loss, forward.run(point, x, rows, labels, loss, logits), batch);
            double minus = spsa.objective().isLoss() ? lossMinus : spsa.objective().value(loss, logits, labels);
            slopes[k] = (plus - minus) / (2 * h);
            lossSum += lossPlus + lossMinus;
        }
        return new Spsa.Slopes(slopes, lossSum / (2 * n), logits);
    }

    /** The loss at θ itself (the point written with c = 0: θ, rounded to this type), the output into logits. */
    double loss(Matrix x, int[] labels, Loss loss, Matrix logits) {
        slices((part, t, lo, hi) -> ops.perturb(value[t], lo, hi, 0.0, z[part], point[t]));
        return reduce(loss, forward.run(point, x, null, labels, loss, logits), x.rows());
    }

    /** The loss's reduction of a sum over n rows, as the loss's own forward computes it. */
    private static double reduce(Loss loss, double summed, int n) {
        return loss.reduction() == Reduction.MEAN ? summed / n : summed;
    }

    /**
     * θ ← the optimizer's update along ĝ = (1/n) Σ s_k z_k, right after {@link #measure}:
     * {@code begin}, then each core, a slice of its share of θ at a time, regenerates the directions
     * into its slice of ĝ and updates θ there (in double, whatever the type of the forward passes).
     */
    void update(Spsa spsa, double[] slopes, Optimizer optimizer, List<Parameter> parameters) {
        optimizer.begin(parameters);
        slices((part, t, lo, hi) -> {
            estimate(spsa, slopes, part, t, lo, hi, g[part], 0);
            optimizer.update(t, value[t], lo, hi, g[part], 0);
        });
    }

    /** ĝ into the parameters' gradients, right after {@link #measure}: what {@link #update} descends along. */
    void estimate(Spsa spsa, double[] slopes, List<Parameter> parameters) {
        double[][] grads = new double[parameters.size()][];
        for (int t = 0; t < grads.length; t++) {
            grads[t] = parameters.get(t).grad().data();
        }
        slices((part, t, lo, hi) -> estimate(spsa, slopes, part, t, lo, hi, grads[t], lo));
    }

    /**
     * out[outOff + i − lo] = (1/n) Σ_k s_k z_k[i] for entries [lo, hi) of tensor t: the first n − 1
     * directions drawn again from their keys, the last read back from the point, which still holds
     * θ − εz_n from {@link #measure} (so a step of one direction draws z once).
     */
    private void estimate(Spsa spsa, double[] slopes, int part, int t, int lo, int hi, double[] out, int outOff) {
        int n = slopes.length, len = hi - lo;
        Arrays.fill(out, outOff, outOff + len, 0.0);
        for (int k = 0; k < n - 1; k++) {
            Gaussian.fill(Spsa.directionKey(spsa.key(), k), offset[t] + lo, z[part], len);
            Spsa.accumulate(slopes[k] / n, z[part], len, out, outOff);
        }
        ops.direction(value[t], lo, hi, spsa.h(), point[t], z[part]);
        Spsa.accumulate(slopes[n - 1] / n, z[part], len, out, outOff);
    }

    private interface Slice {
        /** Entries [lo, hi) of tensor t, on core {@code part}. */
        void run(int part, int t, int lo, int hi);
    }

    /**
     * {@code body} over the concatenated θ, each core its share, a slice of at most {@link Spsa#SLICE}
     * at a time; on the calling thread alone for fewer than {@link #SPLIT} values, which take less
     * time than handing them to another core.
     */
    private void slices(Slice body) {
        int parts = Math.max(1, Math.min(splits, total / SPLIT));
        Parallel.parts(total, parts, (part, from, to) -> {
            for (int lo = from; lo < to; lo += Spsa.SLICE) {
                forEachTensor(part, lo, Math.min(to, lo + Spsa.SLICE), body);
            }
        });
    }

    /** {@code body} for each tensor's share of [from, to) of the concatenated θ. */
    private void forEachTensor(int part, int from, int to, Slice body) {
        for (int t = 0; t < value.length; t++) {
            long start = offset[t], end = start + value[t].length;
            long lo = Math.max(from, start), hi = Math.min(to, end);
            if (lo < hi) {
                body.run(part, t, (int) (lo - start), (int) (hi - start));
            }
        }
    }
}
