package dev.descent.fused;

import dev.descent.data.Features;
import dev.descent.layers.Dense;
import dev.descent.layers.Dropout;
import dev.descent.layers.ElementWise;
import dev.descent.layers.Layer;
import dev.descent.layers.Parameter;
import dev.descent.loss.Loss;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Matrix;
import dev.descent.tensor.NativeProducts;
import dev.descent.tensor.Parallel;
import dev.descent.tensor.ShapeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fused schedule of backpropagation for a network of dense layers, each followed by at most
 * one element-wise layer and then at most one dropout, in the type {@code A}. It holds no derivative rule of its own: each
 * stage is a kernel of the layer or the loss ({@link Dense}, {@link ElementWise},
 * {@link Loss#rows}), and this class only says which rows each core runs and when the cores
 * meet. With a₀ = x: (N, d₀) and Wₗ: (dₗ₋₁, dₗ), for layer l = 1..L:
 * <pre>
 *   forward    aₗ = f(aₗ₋₁·Wₗ + bₗ)        Dense.forward, then f's forward, on the core's rows
 *   loss       Σ ℓ and g = dL/da_L          the loss's row kernel, on the core's rows
 *   backward   g ← g ⊙ f'(aₗ)               f's backward, on the core's rows
 *              (all cores meet: every row of g is in)
 *              dWₗ, dbₗ over all N rows      Dense's gradients, on the core's rows of dWₗ and
 *                                           entries of dbₗ
 *              g ← g·Wₗᵀ (for l > 1)         Dense.inputGradient, on the core's rows
 *   update     θ ← optimizer(θ, dθ)          on the core's share of θ, a slice at a time
 * </pre>
 * So there are no per-core partial gradients to sum, and each product is over the whole batch;
 * the price is that the cores wait for one another once per layer.
 *
 * <p>The buffers hold the whole batch, each core writing its own rows, with room for the largest
 * batch seen (a smaller one uses their first rows) and one row more: netlib's bounds check wants
 * a block of columns to end within the array as if its last row were whole.
 *
 * <p>The batch's input x is the exception: unless it is large, each core reads its own copy,
 * its rows whole and the other cores' rows only in the columns of its block of dW₁ (the rows of
 * x that the forward pass and that block need). One shared copy made the cores trade its cache
 * lines every step: a core's block of dW₁ read the other core's rows, which that core then
 * overwrote with the next batch, invalidating them first. Reading a fmnist-mlp batch (64 rows
 * whole and 64 halves a core, from bytes) takes 43–46 µs a core so, against 56–65 µs for its
 * half of one shared copy, on two cores of an AMD EPYC; in spells when that machine made such
 * trades slow, 56–59 µs against 77 µs (and 230–260 µs at worst with the shared copy).
 */
final class Schedule<A> implements Compiled {
    /** Rows per block below which a batch is not split: a smaller block costs more to hand off than it saves. */
    static final int MIN_ROWS = 32;

    /**
     * The largest input, in values, that each core reads a copy of (4 MB in float32): beyond
     * that, a batch is large enough for memory bandwidth, not the trading of cache lines, to
     * bound reading it, and the copies would cost memory.
     */
    static final int COPIED_INPUT = 1 << 20;

    /** Values updated at a time, so a slice of θ is updated and written back while it is in the L1 cache. */
    static final int SLICE = 2048;

    /** Where θ in type A stands against the network's parameters (float32 only; in float64 they are one). */
    private enum Theta {
        /** Unknown: read it afresh from the network before the next step. */
        STALE,
        /** Equal to the network's, rounded. */
        SAME,
        /** Newer than the network's, which must be written before anything else reads them. */
        AHEAD
    }

    /** The arguments of one step, handed to every core at once and never changed. */
    private record Step(Matrix x, Rows rows, int[] labels, Loss loss, double scale, double[] logits,
                        Optimizer optimizer, boolean deferred) {}

    /** Rows order[from, from + N) of a data set's features: a batch each core reads its share of. */
    record Rows(Features features, int[] order, int from) {}

    private final Ops<A> ops;
    private final int layers;
    private final int[] width; // d₀ .. d_L
    private final ElementWise[] act; // f of each dense layer, or null
    private final Dropout[] drop; // the dropout after f, or null
    private final double[][] value, grad; // the network's own arrays: W1, b1, W2, ...
    private final A[] param; // the same as type A (the same arrays in float64)
    private final A[] gradient; // dL/dθ as type A (the network's own arrays in float64)
    private final int total; // number of parameter values
    private final int splits;
    private Theta theta = Theta.STALE;

    // buffers for the whole batch, sized for `capacity` rows plus one
    private int capacity;
    private A[] input; // the batch's rows, (N, d₀): a copy per core (see the class's comment), or one shared
    private boolean copiedInput; // whether each core has a copy of its own
    private A[] out; // aₗ: (N, dₗ) for l = 1..L
    private A[] pre; // f's output before dropout, (N, dₗ), where layer l has a dropout (f's backward reads it)
    private A gA, gB; // dL/daₗ, (N, max d), taking turns
    private A ones; // (N), all 1: dbₗ = gᵀ·1
    private final double[][] scratch = new double[Parallel.THREADS][]; // per core: the loss kernel's (k)
    private final double[][] slice = new double[Parallel.THREADS][SLICE]; // per core: a slice of gradient widened
    private final double[] partLoss = new double[Parallel.THREADS];
    private final Barrier barrier = new Barrier();
    private Throwable failure; // the first block's failure, which the others' aborts must not hide

    @SuppressWarnings("unchecked")
    private Schedule(Ops<A> ops, Network network, List<Dense> dense, List<ElementWise> acts, List<Dropout> drops) {
        this.ops = ops;
        layers = dense.size();
        width = new int[layers + 1];
        width[0] = network.inputSize();
        for (int l = 0; l < layers; l++) {
            width[l + 1] = dense.get(l).outputSize();
        }
        act = acts.toArray(new ElementWise[0]);
        drop = drops.toArray(new Dropout[0]);
        List<Parameter> ps = network.parameters();
        value = new double[ps.size()][];
        grad = new double[ps.size()][];
        param = (A[]) new Object[ps.size()];
        gradient = (A[]) new Object[ps.size()];
        int n = 0;
        for (int i = 0; i < ps.size(); i++) {
            value[i] = ps.get(i).value().data();
            grad[i] = ps.get(i).grad().data();
            param[i] = ops.mirror(value[i]);
            gradient[i] = ops.mirror(grad[i]);
            n += value[i].length;
        }
        for (int p = 0; p < scratch.length; p++) {
            scratch[p] = new double[network.outputSize()];
        }
        total = n;
        // Always the same blocks, one per core, whatever the native library's threads: the sums, and
        // so the numbers, do not depend on OPENBLAS_NUM_THREADS (NativeProducts says why).
        splits = Parallel.THREADS;
    }

    /**
     * Whether {@code network} is dense layers, each followed by at most one element-wise layer and
     * then at most one dropout.
     */
    static boolean fits(Network network) {
        int after = 0; // 0: no dense yet; 1: a dense; 2: its element-wise layer; 3: its dropout
        for (Layer layer : network.layers()) {
            if (layer instanceof Dense) {
                after = 1;
            } else if (layer instanceof Dropout && after == 2) {
                after = 3;
            } else if (layer instanceof ElementWise && after == 1) {
                after = 2;
            } else {
                return false;
            }
        }
        return true;
    }

    /**
     * The schedule of {@code network} in the type of {@code ops}, or null when it does not
     * {@link #fits}: the reference schedule trains those.
     */
    static <A> Schedule<A> of(Ops<A> ops, Network network) {
        if (!fits(network)) {
            return null;
        }
        List<Dense> dense = new ArrayList<>();
        List<ElementWise> acts = new ArrayList<>();
        List<Dropout> drops = new ArrayList<>();
        for (Layer layer : network.layers()) {
            int last = acts.size() - 1;
            if (layer instanceof Dense d) {
                dense.add(d);
                acts.add(null);
                drops.add(null);
            } else if (layer instanceof Dropout dr && acts.get(last) != null) {
                drops.set(last, dr);
            } else {
                acts.set(last, (ElementWise) layer);
            }
        }
        return new Schedule<>(ops, network, dense, acts, drops);
    }

    /**
     * One step on x: (N, d₀), or on {@code rows} with x only giving the batch's shape. Returns
     * Σ ℓ over the batch and leaves the output in {@code logits} (N, d_L). Without an optimizer
     * the network's gradients hold scale·dΣℓ/dθ afterwards; with one, its update is applied to θ
     * after the gradients, each core updating its share.
     *
     * <p>Where θ is kept in float (float32), it is rounded from the network's at the start unless
     * {@code continuing} says that θ is as the previous step left it; and it is written back to the
     * network at the end, unless {@code deferred}: then {@link #writeBack} does it.
     */
    @Override
    public double step(Matrix x, Rows rows, int[] labels, Loss loss, double scale, Matrix logits, Optimizer optimizer,
                List<Parameter> parameters, boolean continuing, boolean deferred) {
        check(x, rows, x.rows(), labels);
        Step step = new Step(x, rows, labels, loss, scale, logits.data(), optimizer, deferred);
        int n = x.rows();
        int parts = Math.max(1, Math.min(splits, n / MIN_ROWS));
        if (!Parallel.concurrent(parts)) {
            parts = 1; // the blocks wait for one another: they must run at once
        }
        ensure(n, true);
        if (ops.copiesTheta() && (!continuing || theta == Theta.STALE)) {
            roundTheta(parts);
        }
        int cores = parts;
        barrier.reset(parts);
        failure = null;
        try {
            Parallel.parts(n, parts, (part, from, to) -> runBlock(step, cores, part, from, to));
        } catch (RuntimeException | Error e) {
            if (failure instanceof RuntimeException r) {
                throw r;
            }
            if (failure instanceof Error err) {
                throw err;
            }
            throw e;
        }
        double summed = 0.0;
        for (int p = 0; p < parts; p++) {
            summed += partLoss[p];
        }
        if (optimizer != null) {
            optimizer.begin(parameters, ops.copiesTheta() && optimizer.updatesFloat());
        }
        Parallel.parts(total, parts, (part, from, to) -> update(step, part, from, to));
        if (ops.copiesTheta() && optimizer != null && optimizer.updatesFloat()) {
            theta = deferred ? Theta.AHEAD : Theta.SAME;
        }
        return summed;
    }

    @Override
    public double forward(Rows rows, int n, int[] labels, Loss loss, Matrix logits, boolean fresh) {
        check(null, rows, n, labels);
        int parts = Math.max(1, Math.min(splits, n / MIN_ROWS));
        ensure(n, false);
        if (ops.copiesTheta() && (fresh || theta == Theta.STALE)) {
            roundTheta(parts);
        }
        Parallel.parts(n, parts, (part, from, to) -> partLoss[part] = forwardBlock(rows, labels, loss,
                logits.data(), part, from, to - from));
        double summed = 0.0;
        for (int p = 0; p < parts; p++) {
            summed += partLoss[p];
        }
        return summed;
    }

    /** Refuses a batch x (or, null, rows alone) of n rows that does not fit the network or the labels. */
    private void check(Matrix x, Rows rows, int n, int[] labels) {
        if (x != null && x.cols() != width[0]) {
            throw new ShapeException("dense layer takes " + width[0] + " inputs, got a batch of " + x.shape());
        }
        if (rows != null && rows.features().cols() != width[0]) {
            throw new ShapeException("dense layer takes " + width[0] + " inputs, got features of "
                    + rows.features().cols());
        }
        if (labels.length != n) {
            throw new ShapeException("loss: " + n + " rows of input but " + labels.length + " labels");
        }
    }

    /** Rows [from, from + n) of the batch through every layer and the loss, on one core, for {@link #forward}. */
    private double forwardBlock(Rows rows, int[] labels, Loss loss, double[] logits, int part, int from, int n) {
        int w = width[0];
        A x = input[0]; // the cores' rows apart: nothing is traded
        ops.gather(rows.features(), rows.order(), rows.from() + from, n, x, from * w, 0, w);
        forwardLayers(x, from, n);
        int k = width[layers];
        double summed = ops.lossRows(loss, out[layers - 1], from * k, n, k, labels, from, 1.0, gA, scratch[part]);
        ops.widen(out[layers - 1], from * k, (from + n) * k, logits, from * k);
        return summed;
    }

    /** aₗ = f(aₗ₋₁·Wₗ + bₗ) for every layer, on rows [from, from + n) of the batch x. */
    private void forwardLayers(A x, int from, int n) {
        for (int l = 0; l < layers; l++) {
            A below = l == 0 ? x : out[l - 1];
            int in = width[l], d = width[l + 1];
            A z = drop[l] == null ? out[l] : pre[l]; // with a dropout, f's output is kept for f's backward
            ops.denseForward(below, from * in, param[2 * l], param[2 * l + 1], z, from * d, n, in, d);
            if (act[l] != null) {
                ops.activate(act[l], z, from * d, n * d);
            }
            if (drop[l] != null) {
                ops.forward(drop[l], z, out[l], from * d, n * d);
            }
        }
    }

    /** Writes θ, kept in float by deferred steps, to the network's parameters (exactly, widened). */
    /**
     * θ in this type rounded afresh from the network's parameters, after writing back what a run
     * left ahead (a run left open, or one whose last step failed: its float θ is the latest).
     */
    private void roundTheta(int parts) {
        writeBack();
        Parallel.parts(total, parts, (part, from, to) -> forEachSlice(from, to,
                (t, lo, hi) -> ops.refresh(value[t], param[t], lo, hi)));
        theta = Theta.SAME;
    }

    @Override
    public void writeBack() {
        if (theta == Theta.AHEAD) {
            Parallel.parts(total, splits, (part, from, to) -> forEachSlice(from, to,
                    (t, lo, hi) -> ops.widen(param[t], lo, hi, value[t], lo)));
            theta = Theta.SAME;
        }
    }

    /**
     * Sizes the batch's buffers for n rows, plus the padding row; for a step, also decides whether
     * each core reads a copy of the input of its own, by the step's n alone, so that an
     * evaluation's larger blocks ({@link #forward}, which reads only {@code input[0]}) do not
     * decide it for the steps.
     */
    @SuppressWarnings("unchecked")
    private void ensure(int n, boolean step) {
        if (n > capacity) {
            capacity = n;
            int widest = 0;
            out = (A[]) new Object[layers];
            pre = (A[]) new Object[layers];
            for (int l = 0; l < layers; l++) {
                out[l] = ops.alloc((n + 1) * width[l + 1]);
                pre[l] = drop[l] == null ? null : ops.alloc((n + 1) * width[l + 1]);
                widest = Math.max(widest, width[l + 1]);
            }
            gA = ops.alloc((n + 1) * widest);
            gB = ops.alloc((n + 1) * widest);
            input = (A[]) new Object[splits];
            input[0] = ops.alloc((n + 1) * width[0]);
            for (int p = 1; p < splits; p++) {
                input[p] = copiedInput ? ops.alloc((n + 1) * width[0]) : input[0];
            }
            ones = ops.ones(n);
        }
        boolean copy = splits > 1 && (long) (n + 1) * width[0] <= COPIED_INPUT;
        if (step && copy != copiedInput) {
            copiedInput = copy;
            for (int p = 1; p < splits; p++) {
                input[p] = copy ? ops.alloc((capacity + 1) * width[0]) : input[0];
            }
        }
    }

    /** Whether each core reads a copy of the input of its own (for the tests). */
    boolean copiesInput() {
        return copiedInput;
    }

    private void runBlock(Step step, int parts, int part, int from, int to) {
        try {
            partLoss[part] = run(step, parts, part, from, to - from);
        } catch (Barrier.Aborted a) {
            throw a;
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                if (failure == null) {
                    failure = e;
                }
            }
            barrier.abort();
            throw e;
        }
    }

    /**
     * Core {@code part}'s share of the step: the forward and backward pass over rows
     * [from, from + n) of the batch, and between the layers of the backward pass, once all rows of
     * g are known, its block of each layer's weight and bias gradients over all N rows.
     */
    private double run(Step step, int parts, int part, int from, int n) {
        int rowsAll = step.x().rows(), w = width[0];
        A x = input[part];
        boolean others = parts > 1 && copiedInput; // the other cores' rows, in the columns of this core's block of dW₁
        int k0 = Parallel.start(w, part, parts), k1 = Parallel.start(w, part + 1, parts); // = dW₁'s r0, r1
        if (step.rows() != null) { // straight from the data set
            Rows r = step.rows();
            ops.gather(r.features(), r.order(), r.from() + from, n, x, from * w, 0, w);
            if (others) {
                ops.gather(r.features(), r.order(), r.from(), from, x, 0, k0, k1);
                ops.gather(r.features(), r.order(), r.from() + from + n, rowsAll - from - n, x, (from + n) * w, k0, k1);
            }
        } else {
            ops.input(step.x().data(), from * w, n * w, x);
            if (others) {
                for (int row = 0; row < rowsAll; row++) {
                    if (row < from || row >= from + n) {
                        ops.input(step.x().data(), row * w + k0, k1 - k0, x);
                    }
                }
            }
        }
        forwardLayers(x, from, n);
        int k = width[layers];
        A g = gA, gNext = gB;
        double loss = ops.lossRows(step.loss(), out[layers - 1], from * k, n, k, step.labels(), from, step.scale(),
                g, scratch[part]);
        ops.widen(out[layers - 1], from * k, (from + n) * k, step.logits(), from * k);
        for (int l = layers - 1; l >= 0; l--) {
            int d = width[l + 1], in = width[l];
            if (drop[l] != null) {
                ops.activationBackward(drop[l], g, out[l], from * d, n * d);
            }
            if (act[l] != null) {
                ops.activationBackward(act[l], g, drop[l] == null ? out[l] : pre[l], from * d, n * d);
            }
            barrier.await(); // every core's rows of g are in
            int r0 = Parallel.start(in, part, parts), r1 = Parallel.start(in, part + 1, parts);
            if (r1 > r0) {
                ops.denseWeightGradient(l == 0 ? x : out[l - 1], g, gradient[2 * l], r0, r1, rowsAll, in, d);
            }
            int c0 = Parallel.start(d, part, parts), c1 = Parallel.start(d, part + 1, parts);
            if (c1 > c0) {
                ops.denseBiasGradient(g, ones, gradient[2 * l + 1], c0, c1, rowsAll, d);
            }
            if (l > 0) { // this core's rows of g·Wₗᵀ, before any core updates Wₗ (after the step)
                ops.denseInputGradient(g, from * d, param[2 * l], gNext, from * in, n, in, d);
                A swap = g;
                g = gNext;
                gNext = swap;
            }
        }
        return loss;
    }

    /**
     * Updates θ in [from, to) of the concatenated parameters, a slice at a time while the slice
     * is in cache; without an optimizer, only widens float32's gradients into the network's. With
     * one, θ kept in this type is updated there and, unless the step is deferred, written back to
     * the network widened (exact); in float32 with an optimizer that has no float update, the
     * gradient is widened into a slice-sized buffer of this core's, the network's θ updated in
     * double and rounded to float.
     */
    private void update(Step step, int part, int from, int to) {
        Optimizer optimizer = step.optimizer();
        boolean inType = optimizer != null && (!ops.copiesTheta() || optimizer.updatesFloat()); // θ kept in type A
        Slice body = (t, a, b) -> {
            A g = gradient[t];
            if (optimizer == null) {
                ops.widen(g, a, b, grad[t], a); // nothing to do in float64
            } else if (inType) {
                ops.update(optimizer, t, param[t], a, b, g);
                if (!step.deferred()) {
                    ops.widen(param[t], a, b, value[t], a); // nothing to do in float64
                }
            } else { // θ kept in double: update it, then round the slice while it is in cache
                ops.widen(g, a, b, slice[part], 0);
                optimizer.update(t, value[t], a, b, slice[part], 0);
                ops.refresh(value[t], param[t], a, b);
            }
        };
        for (int lo = from; lo < to; lo += SLICE) {
            forEachSlice(lo, Math.min(to, lo + SLICE), body);
        }
    }

    private interface Slice {
        void run(int tensor, int from, int to);
    }

    /** Calls {@code body} for each tensor's share of [from, to) of the concatenated parameters. */
    private void forEachSlice(int from, int to, Slice body) {
        int start = 0;
        for (int t = 0; t < value.length && start < to; t++) {
            int end = start + value[t].length;
            int lo = Math.max(from, start), hi = Math.min(to, end);
            if (lo < hi) {
                body.run(t, lo - start, hi - start);
            }
            start = end;
        }
    }

    /**
     * Where the cores wait for one another in the backward pass. A core that fails aborts it, so
     * that the others stop waiting and the step ends with that failure.
     */
    static final class Barrier {
        private final AtomicInteger waiting = new AtomicInteger();
        private volatile int phase;
        private volatile boolean aborted;
        private int parties;

        /** Before a step, on the thread that hands out its blocks. */
        void reset(int parties) {
            this.parties = parties;
            waiting.set(0);
            aborted = false;
        }

        void await() {
            if (parties <= 1) {
                return;
            }
            int p = phase;
            if (waiting.incrementAndGet() == parties) {
                waiting.set(0);
                phase = p + 1;
                return;
            }
            long since = System.nanoTime();
            for (int spins = 0; phase == p; spins++) {
                if (aborted) {
                    throw new Aborted();
                }
                Parallel.pause(spins, since);
            }
        }

        void abort() {
            aborted = true;
        }

        /** A block that stopped because another failed. */
        static final class Aborted extends RuntimeException {
            Aborted() {
                super("another core's block of the step failed", null, false, false);
            }
        }
    }
}
