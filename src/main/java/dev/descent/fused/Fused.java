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

/**
 * A network of dense layers, each followed by at most one activation, compiled into one fused
 * backpropagation step in the type {@code A}. The batch is cut into one block of rows per core;
 * each block runs the whole forward and backward pass on its own buffers, then the blocks' weight
 * gradients are summed, a slice at a time, and handed to the optimizer's update while the slice
 * is in cache. Per block of n rows, for layer l = 1..L with
 * a₀ = x: (n, d₀) and Wₗ: (dₗ₋₁, dₗ):
 * <pre>
 *   forward    aₗ = f(aₗ₋₁·Wₗ + bₗ)                       one product (onto rows preset to bₗ), then f
 *   loss       g = s·(softmax(a_L) − onehot(y)), Σ ℓ       one pass per row
 *   backward   g ← g ⊙ f'(aₗ), dbₗ = onesᵀ·g              one pass, then a product
 *              dWₗ = aₗ₋₁ᵀ·g,  g ← g·Wₗᵀ (for l > 1)
 * </pre>
 * with s = 1 for a summed loss and 1/N for the mean over the whole batch of N. This is the
 * layers' own forward and backward ({@link Dense}, {@link Activation}), with the element-wise
 * work fused and no buffer reallocated from batch to batch: the buffers have room for the
 * largest batch seen, and a smaller one uses their first rows.
 */
final class Fused<A> {
    /** Rows per block below which a batch is not split: a smaller block costs more to hand off than it saves. */
    static final int MIN_ROWS = 32;

    /** Values summed and updated at a time, so a slice of gradient is updated while it is in the L1 cache. */
    static final int SLICE = 2048;

    private final Ops<A> ops;
    private final int layers;
    private final int[] width; // d₀ .. d_L
    private final Activation[] act; // f of each dense layer, or null
    private final double[][] value, grad; // the network's own arrays: W1, b1, W2, ...
    private final A[] param; // the same as type A (the same arrays in float64)
    private final List<Block> blocks = new ArrayList<>();
    private final int total; // number of parameter values
    private final int splits;

    // the step in progress, read by the blocks
    private Matrix x;
    private Rows rows; // when set, the batch's rows are read from here, and x only gives the shape
    private int[] labels;
    private double scale;
    private int usedBlocks;
    private final double[][] slice = new double[Parallel.THREADS][SLICE]; // per core: a slice of summed gradient
    private Optimizer optimizer;
    private boolean mirrored; // whether param holds θ as the last step left it (float32)
    private final Parallel.Part runBlock = this::runBlock, refresh = this::refresh, reduce = this::reduce;
    private final Slice refreshSlice = this::refreshSlice, reduceSlice = this::reduceSlice;

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
        int n = 0;
        for (int i = 0; i < ps.size(); i++) {
            value[i] = ps.get(i).value().data();
            grad[i] = ps.get(i).grad().data();
            param[i] = ops.mirror(value[i]);
            n += value[i].length;
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
     * update is applied to each slice of θ as soon as that slice's gradient is summed (and in
     * float32 the summed gradient is not kept). In float32 θ is rounded to float at the start,
     * unless {@code continuing} says that θ is as the previous step left it, and so is its float
     * copy, which that step's update wrote slice by slice.
     */
    double step(Matrix x, Rows rows, int[] labels, double scale, Matrix logits, Optimizer optimizer,
                List<Parameter> parameters, boolean continuing) {
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
        this.optimizer = optimizer;
        int parts = Math.max(1, Math.min(splits, x.rows() / MIN_ROWS));
        while (blocks.size() < parts) {
            blocks.add(new Block(blocks.size()));
        }
        if (param[0] != (Object) value[0] && !(continuing && mirrored)) { // float32: round θ afresh
            Parallel.parts(total, parts, refresh);
        }
        mirrored = false; // until this step ends: an exception part-way leaves the copy unknown
        for (int p = 0; p < parts; p++) {
            blocks.get(p).logits = logits.data();
        }
        Parallel.parts(x.rows(), parts, runBlock);
        double loss = 0.0;
        for (int p = 0; p < parts; p++) {
            loss += blocks.get(p).loss;
        }
        usedBlocks = parts;
        if (optimizer != null) {
            optimizer.begin(parameters);
        }
        Parallel.parts(total, parts, reduce);
        this.optimizer = null;
        mirrored = true;
        return loss;
    }

    private void runBlock(int part, int from, int to) {
        blocks.get(part).run(from, to - from);
    }

    /** Rounds the network's parameters in [from, to) of their concatenation into type A. */
    private void refresh(int part, int from, int to) {
        forEachSlice(part, from, to, refreshSlice);
    }

    private void refreshSlice(int part, int t, int lo, int hi) {
        ops.refresh(value[t], param[t], lo, hi);
    }

    /**
     * Sums the blocks' gradients in [from, to) into block 0's and updates θ there, a slice at a
     * time while the slice is in cache. Without an optimizer the sums go to the network's
     * gradients. With one, in float32, θ is updated in float and written back to the network
     * widened (exact), when the optimizer has a float32 update; else the sum is widened into a
     * slice-sized buffer of this core's, the network's θ updated in double and rounded to float.
     */
    private void reduce(int part, int from, int to) {
        for (int lo = from; lo < to; lo += SLICE) {
            forEachSlice(part, lo, Math.min(to, lo + SLICE), reduceSlice);
        }
    }

    private void reduceSlice(int part, int t, int lo, int hi) {
        A sum = blocks.get(0).grad[t]; // in float64, the network's own gradient
        for (int b = 1; b < usedBlocks; b++) {
            ops.add(sum, blocks.get(b).grad[t], lo, hi);
        }
        if (optimizer == null) {
            ops.widen(sum, lo, hi, grad[t], lo); // nothing to do in float64
            return;
        }
        if (param[t] == (Object) value[t] || optimizer.updatesFloat()) { // θ kept in this type
            ops.update(optimizer, t, param[t], lo, hi, sum);
            ops.widen(param[t], lo, hi, value[t], lo); // nothing to do in float64
        } else { // float32 with θ kept in double: update it, then round the slice while it is in cache
            ops.widen(sum, lo, hi, slice[part], 0);
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

    /** One core's rows of the batch and its buffers; sized for the largest block seen. */
    private final class Block {
        final A[] grad; // this block's dL/dθ, one per parameter tensor
        A input; // this block's rows of the batch, when not read in place
        final A[] out; // aₗ: (n, dₗ) for l = 1..L
        A g, gNext; // dL/daₗ: (n, max d)
        A ones; // (n), all 1: Σ_rows g = onesᵀ·g
        final double[] row = new double[width[layers]]; // one row's exponentials
        int capacity;
        double loss;
        double[] logits;

        @SuppressWarnings("unchecked")
        Block(int index) {
            grad = (A[]) new Object[value.length];
            for (int t = 0; t < value.length; t++) {
                grad[t] = index == 0 ? ops.mirror(Fused.this.grad[t]) : ops.alloc(value[t].length);
            }
            out = (A[]) new Object[layers];
        }

        void ensure(int n) {
            if (n <= capacity) {
                return;
            }
            capacity = n;
            int widest = 0;
            for (int l = 0; l < layers; l++) {
                out[l] = ops.alloc(n * width[l + 1]);
                widest = Math.max(widest, width[l + 1]);
            }
            g = ops.alloc(n * widest);
            gNext = ops.alloc(n * widest);
            input = ops.alloc(n * width[0]);
            ones = ops.ones(n);
        }

        /** Forward and backward over rows [from, from + n) of the batch. */
        void run(int from, int n) {
            ensure(n);
            A in;
            int inOff;
            if (rows != null) { // straight from the data set, into this core's buffer
                in = ops.gather(rows.features(), rows.order(), rows.from() + from, n, input);
                inOff = 0;
            } else { // float64 reads x in place; float32 rounds its rows into the buffer
                in = ops.input(x.data(), from * width[0], n * width[0], input);
                inOff = in == (Object) input ? 0 : from * width[0];
            }
            A prev = in;
            int prevOff = inOff;
            for (int l = 0; l < layers; l++) {
                ops.affine(prev, prevOff, param[2 * l], param[2 * l + 1], out[l], n, width[l], width[l + 1]);
                ops.activate(out[l], n * width[l + 1], act[l]);
                prev = out[l];
                prevOff = 0;
            }
            int k = width[layers];
            loss = ops.softmaxCrossEntropy(out[layers - 1], n, k, labels, from, scale, g, logits, from * k, row);
            for (int l = layers - 1; l >= 0; l--) {
                ops.activationBackward(g, out[l], n, width[l + 1], act[l], ones, grad[2 * l + 1]);
                A below = l == 0 ? in : out[l - 1];
                ops.matmulTransA(below, l == 0 ? inOff : 0, g, grad[2 * l], n, width[l], width[l + 1]);
                if (l > 0) {
                    ops.matmulTransB(g, param[2 * l], gNext, n, width[l + 1], width[l]);
                    A swap = g;
                    g = gNext;
                    gNext = swap;
                }
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
