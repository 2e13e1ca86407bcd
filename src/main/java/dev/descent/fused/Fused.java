package dev.descent.fused;

import dev.descent.data.Features;
import dev.descent.layers.Activation;
import dev.descent.layers.Dense;
import dev.descent.layers.Layer;
import dev.descent.layers.Parameter;
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
 * A network of dense layers, each followed by at most one activation, compiled into one fused
 * backpropagation step in the type {@code A}. With a = a₀ = x: (N, d₀) and Wₗ: (dₗ₋₁, dₗ), for
 * layer l = 1..L:
 * <pre>
 *   forward    aₗ = f(aₗ₋₁·Wₗ + bₗ)                 one product (onto rows preset to bₗ), then f
 *   loss       g = s·(softmax(a_L) − onehot(y)), Σ ℓ one pass per row
 *   backward   g ← g ⊙ f'(aₗ)                        one pass
 *              dWₗ = aₗ₋₁ᵀ·g,  dbₗ = gᵀ·1             over all N rows
 *              g ← g·Wₗᵀ (for l > 1)
 * </pre>
 * with s = 1 for a summed loss and 1/N for the mean over the batch. This is the layers' own
 * forward and backward ({@link Dense}, {@link Activation}), with the element-wise work fused.
 *
 * <p>Across the cores: each core runs the forward pass, the loss and every g ⊙ f' and g·Wᵀ on its
 * own block of the batch's rows, and the weight gradients by the other split: dWₗ's rows (the
 * layer's inputs) and dbₗ are cut into one block per core, each a product over all N rows. So
 * there are no per-core partial gradients to sum, and each product is over the whole batch; the
 * price is that the cores wait for one another once per layer, until every row of g is known.
 * Then each core applies the optimizer's update to its share of θ, a slice at a time.
 *
 * <p>The buffers hold the whole batch, each core writing its own rows, with room for the largest
 * batch seen (a smaller one uses their first rows) and one row more: netlib's bounds check wants
 * a block of columns to end within the array as if its last row were whole.
 */
final class Fused<A> {
    /** Rows per block below which a batch is not split: a smaller block costs more to hand off than it saves. */
    static final int MIN_ROWS = 32;

    /** Values updated at a time, so a slice of θ is updated and written back while it is in the L1 cache. */
    static final int SLICE = 2048;

    private final Ops<A> ops;
    private final int layers;
    private final int[] width; // d₀ .. d_L
    private final Activation[] act; // f of each dense layer, or null
    private final double[][] value, grad; // the network's own arrays: W1, b1, W2, ...
    private final A[] param; // the same as type A (the same arrays in float64)
    private final A[] gradient; // dL/dθ as type A (the network's own arrays in float64)
    private final int total; // number of parameter values
    private final int splits;

    // buffers for the whole batch, sized for `capacity` rows plus one
    private int capacity;
    private A input; // the batch's rows, (N, d₀)
    private A[] out; // aₗ: (N, dₗ) for l = 1..L
    private A gA, gB; // dL/daₗ, (N, max d), taking turns
    private A ones; // (N), all 1: dbₗ = gᵀ·1
    private final double[][] exps = new double[Parallel.THREADS][]; // per core: one row's exponentials
    private final double[] partLoss = new double[Parallel.THREADS];
    private final Barrier barrier = new Barrier();
    private Throwable failure; // the first block's failure, which the others' aborts must not hide

    // the step in progress, read by the blocks
    private Matrix x;
    private Rows rows; // when set, the batch's rows are read from here, and x only gives the shape
    private int[] labels;
    private double scale;
    private double[] logits;
    private int parts;
    private final double[][] slice = new double[Parallel.THREADS][SLICE]; // per core: a slice of gradient widened
    private Optimizer optimizer;
    private boolean mirrored; // whether param holds θ as the last step left it (float32)
    private boolean deferred; // this step leaves θ's write-back to the network for later
    private boolean pending; // the network's parameters lag behind the float θ

    private final Parallel.Part runBlock = this::runBlock, refresh = this::refresh, update = this::update,
            widen = this::widen;
    private final Slice refreshSlice = this::refreshSlice, updateSlice = this::updateSlice,
            widenSlice = this::widenSlice;

    @SuppressWarnings("unchecked")
    Fused(Ops<A> ops, Network network) {
        this.ops = ops;
        List<Dense> dense = new ArrayList<>();
        List<Activation> acts = new ArrayList<>();
        for (Layer layer : network.layers()) {
            if (layer instanceof Dense d) {
                dense.add(d);
                acts.add(null);
            } else {
                acts.set(acts.size() - 1, (Activation) layer);
            }
        }
        layers = dense.size();
        width = new int[layers + 1];
        width[0] = network.inputSize();
        act = acts.toArray(new Activation[0]);
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
        for (int p = 0; p < exps.length; p++) {
            exps[p] = new double[network.outputSize()];
        }
        for (int l = 0; l < layers; l++) {
            width[l + 1] = dense.get(l).outputSize();
        }
        total = n;
        // Blocks on several cores only when each native product runs on its caller's thread.
        splits = NativeProducts.singleThreaded() ? Parallel.THREADS : 1;
    }

    /** Whether {@code network} is dense layers, each followed by at most one activation. */
    static boolean supports(Network network) {
        boolean afterDense = false;
        for (Layer layer : network.layers()) {
            if (layer instanceof Dense) {
                afterDense = true;
            } else if (layer instanceof Activation && afterDense) {
                afterDense = false;
            } else {
                return false;
            }
        }
        return true;
    }

    /**
     * One step on x: (N, d₀). Returns Σ ℓ over the batch and leaves the output in {@code logits}
     * (N, d_L). Without an optimizer the network's gradients hold dL/dθ afterwards; with one, its
     * update is applied to θ after the gradients, each core updating its share (and in float32 the
     * float gradient is not widened into the network's).
     *
     * <p>In float32 θ is rounded to float at the start, unless {@code continuing} says that θ is
     * as the previous step left it, float θ included; and where θ is kept in float it is written
     * back to the network at the end, unless {@code deferred}: then {@link #writeBack} does it.
     */
    double step(Matrix x, Rows rows, int[] labels, double scale, Matrix logits, Optimizer optimizer,
                List<Parameter> parameters, boolean continuing, boolean deferred) {
        if (x.cols() != width[0]) {
            throw new ShapeException("dense layer takes " + width[0] + " inputs, got a batch of " + x.shape());
        }
        if (rows != null && rows.features().cols() != width[0]) {
            throw new ShapeException("dense layer takes " + width[0] + " inputs, got features of "
                    + rows.features().cols());
        }
        if (labels.length != x.rows()) {
            throw new ShapeException("loss: " + x.rows() + " rows of input but " + labels.length + " labels");
        }
        this.x = x;
        this.rows = rows;
        this.labels = labels;
        this.scale = scale;
        this.logits = logits.data();
        this.optimizer = optimizer;
        int n = x.rows();
        parts = Math.max(1, Math.min(splits, n / MIN_ROWS));
        if (!Parallel.concurrent(parts)) {
            parts = 1; // the blocks wait for one another: they must run at once
        }
        ensure(n);
        boolean afresh = param[0] != (Object) value[0] && !(continuing && mirrored); // float32: round θ afresh
        if (!continuing || afresh) {
            writeBack(); // a run left open, or one whose last step failed: its float θ is the latest
        }
        if (afresh) {
            Parallel.parts(total, parts, refresh);
        }
        mirrored = false; // until this step ends: an exception part-way leaves the copy unknown
        barrier.reset(parts);
        failure = null;
        try {
            Parallel.parts(n, parts, runBlock);
        } catch (RuntimeException | Error e) {
            if (failure instanceof RuntimeException r) {
                throw r;
            }
            if (failure instanceof Error err) {
                throw err;
            }
            throw e;
        }
        double loss = 0.0;
        for (int p = 0; p < parts; p++) {
            loss += partLoss[p];
        }
        if (optimizer != null) {
            optimizer.begin(parameters);
        }
        this.deferred = deferred;
        Parallel.parts(total, parts, update);
        pending |= deferred && optimizer != null && param[0] != (Object) value[0] && optimizer.updatesFloat();
        this.optimizer = null;
        mirrored = true;
        return loss;
    }

    /** Writes θ, kept in float by deferred steps, to the network's parameters (exactly, widened). */
    void writeBack() {
        if (pending) {
            Parallel.parts(total, splits, widen);
            pending = false;
        }
    }

    /** Sizes the batch's buffers for n rows, plus the padding row. */
    @SuppressWarnings("unchecked")
    private void ensure(int n) {
        if (n <= capacity) {
            return;
        }
        capacity = n;
        int widest = 0;
        out = (A[]) new Object[layers];
        for (int l = 0; l < layers; l++) {
            out[l] = ops.alloc((n + 1) * width[l + 1]);
            widest = Math.max(widest, width[l + 1]);
        }
        gA = ops.alloc((n + 1) * widest);
        gB = ops.alloc((n + 1) * widest);
        input = ops.alloc((n + 1) * width[0]);
        ones = ops.ones(n);
    }

    private void runBlock(int part, int from, int to) {
        try {
            partLoss[part] = run(part, from, to - from);
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

    /** Rounds the network's parameters in [from, to) of their concatenation into type A. */
    private void refresh(int part, int from, int to) {
        forEachSlice(part, from, to, refreshSlice);
    }

    private void refreshSlice(int part, int t, int lo, int hi) {
        ops.refresh(value[t], param[t], lo, hi);
    }

    /** Widens θ in [from, to) of the concatenated parameters into the network's. */
    private void widen(int part, int from, int to) {
        forEachSlice(part, from, to, widenSlice);
    }

    private void widenSlice(int part, int t, int lo, int hi) {
        ops.widen(param[t], lo, hi, value[t], lo);
    }

    /**
     * Updates θ in [from, to) of the concatenated parameters, a slice at a time while the slice
     * is in cache; without an optimizer, only widens float32's gradients into the network's. With
     * one, in float32, θ is updated in float and written back to the network widened (exact), when
     * the optimizer has a float32 update; else the gradient is widened into a slice-sized buffer
     * of this core's, the network's θ updated in double and rounded to float.
     */
    private void update(int part, int from, int to) {
        for (int lo = from; lo < to; lo += SLICE) {
            forEachSlice(part, lo, Math.min(to, lo + SLICE), updateSlice);
        }
    }

    private void updateSlice(int part, int t, int lo, int hi) {
        A g = gradient[t];
        if (optimizer == null) {
            ops.widen(g, lo, hi, grad[t], lo); // nothing to do in float64
        } else if (param[t] == (Object) value[t] || optimizer.updatesFloat()) { // θ kept in this type
            ops.update(optimizer, t, param[t], lo, hi, g);
            if (!deferred) {
                ops.widen(param[t], lo, hi, value[t], lo); // nothing to do in float64
            }
        } else { // float32 with θ kept in double: update it, then round the slice while it is in cache
            ops.widen(g, lo, hi, slice[part], 0);
            optimizer.update(t, value[t], lo, hi, slice[part], 0);
            ops.refresh(value[t], param[t], lo, hi);
        }
    }

    private interface Slice {
        void run(int part, int tensor, int from, int to);
    }

    /** Calls {@code body} for each tensor's share of [from, to) of the concatenated parameters. */
    private void forEachSlice(int part, int from, int to, Slice body) {
        int start = 0;
        for (int t = 0; t < value.length && start < to; t++) {
            int end = start + value[t].length;
            int lo = Math.max(from, start), hi = Math.min(to, end);
            if (lo < hi) {
                body.run(part, t, lo - start, hi - start);
            }
            start = end;
        }
    }

    /**
     * Core {@code part}'s share of the step: the forward and backward pass over rows
     * [from, from + n) of the batch, and between the layers of the backward pass, once all rows of
     * g are known, its block of each layer's weight and bias gradients over all N rows.
     */
    private double run(int part, int from, int n) {
        int rowsAll = x.rows();
        int x0 = from * width[0];
        if (rows != null) { // straight from the data set, into this core's rows of the batch
            ops.gather(rows.features(), rows.order(), rows.from() + from, n, input, x0);
        } else {
            ops.input(x.data(), x0, n * width[0], input);
        }
        for (int l = 0; l < layers; l++) {
            A below = l == 0 ? input : out[l - 1];
            ops.affine(below, from * width[l], param[2 * l], param[2 * l + 1], out[l], from * width[l + 1], n,
                    width[l], width[l + 1]);
            ops.activate(out[l], from * width[l + 1], n * width[l + 1], act[l]);
        }
        int k = width[layers];
        A g = gA, gNext = gB;
        double loss = ops.softmaxCrossEntropy(out[layers - 1], from * k, n, k, labels, from, scale, g, logits,
                exps[part]);
        for (int l = layers - 1; l >= 0; l--) {
            int d = width[l + 1], in = width[l];
            ops.activationBackward(g, out[l], from * d, n * d, act[l]);
            barrier.await(); // every core's rows of g are in
            int r0 = Parallel.start(in, part, parts), r1 = Parallel.start(in, part + 1, parts);
            if (r1 > r0) { // dWₗ[r0, r1) = aₗ₋₁[:, r0, r1)ᵀ·g
                ops.matmulTransA(l == 0 ? input : out[l - 1], r0, in, g, gradient[2 * l], r0 * d, rowsAll, r1 - r0, d);
            }
            int c0 = Parallel.start(d, part, parts), c1 = Parallel.start(d, part + 1, parts);
            if (c1 > c0) { // dbₗ[c0, c1) = g[:, c0, c1)ᵀ·1
                ops.matmulTransA(g, c0, d, ones, gradient[2 * l + 1], c0, rowsAll, c1 - c0, 1);
            }
            if (l > 0) { // this core's rows of g·Wₗᵀ, before any core updates Wₗ (after the step)
                ops.matmulTransB(g, from * d, param[2 * l], gNext, from * in, n, d, in);
                A swap = g;
                g = gNext;
                gNext = swap;
            }
        }
        return loss;
    }

    /**
     * Where the cores wait for one another in the backward pass. A core that fails aborts it, so
     * that the others stop waiting and the step ends with that failure.
     */
    private static final class Barrier {
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
            for (int spins = 0; phase == p; spins++) {
                if (aborted) {
                    throw new Aborted();
                }
                if ((spins & 63) == 63) {
                    Thread.yield(); // let the core we wait for have this one, if it was put here
                } else {
                    Thread.onSpinWait();
                }
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

    /** Rows order[from, from + N) of a data set's features: a batch each core reads its share of. */
    record Rows(Features features, int[] order, int from) {}

    /** The label of row r, checked against the k classes. */
    static int label(int[] labels, int r, int k) {
        int y = labels[r];
        if (y < 0 || y >= k) {
            throw new IllegalArgumentException("label " + y + " of row " + r + " is outside the " + k + " classes");
        }
        return y;
    }
}
