package dev.descent.fused;

import dev.descent.layers.AvgPool2d;
import dev.descent.layers.Conv2d;
import dev.descent.layers.Dense;
import dev.descent.layers.Dropout;
import dev.descent.layers.ElementWise;
import dev.descent.layers.Flatten;
import dev.descent.layers.Layer;
import dev.descent.layers.MaxPool2d;
import dev.descent.layers.Parameter;
import dev.descent.layers.PoolWindow;
import dev.descent.loss.Loss;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Matrix;
import dev.descent.tensor.Parallel;
import dev.descent.tensor.ShapeException;
import java.util.ArrayList;
import java.util.List;

/**
 * The fused schedule of backpropagation for a network of images: convolutions, pooling and a
 * flatten, then dense layers, each layer with weights followed by element-wise layers
 * (activations, dropout), in the type {@code A}. As {@link Schedule} does for dense layers, it
 * holds no derivative rule of its own: each stage is a kernel of its layer ({@link Conv2d},
 * {@link MaxPool2d}, {@link AvgPool2d}, {@link Dense}, {@link ElementWise}) or of the loss, and
 * this class says which rows each core runs and when the cores meet:
 * <pre>
 *   forward    each layer's forward, on the core's images
 *   loss       Σ ℓ and g = dL/dz, on the core's images
 *   backward   element-wise and pooling layers: their backward on the core's images
 *              a layer with weights: (all cores meet: every row of g is in)
 *                 conv    partial dW of groups of images (Conv2d.groups), the core's share of the
 *                         groups; db over all N images, the core's filters
 *                 dense   dW and db over all N rows, the core's rows of dW and entries of db
 *              then dx on the core's images (not for the first layer)
 *   update     each conv's dW = its groups' partials summed in order; θ ← optimizer(θ, dθ) on the
 *              core's share of θ, a slice at a time
 * </pre>
 * The groups of a convolution's weight gradient depend on the batch alone, so the numbers do not
 * depend on the number of cores, and the reference schedule ({@link Conv2d#backward}) sums the
 * same groups in the same order.
 *
 * <p>g moves between three buffers: a layer with weights reads all rows of one after the cores
 * meet, so until they meet again no core may write into it; the pooling layers' backward writes
 * its rows into one of the other two. A core's rows lie at another place in a buffer for each
 * width, so two poolings in a row (max pooling, then average pooling) meet between them: the
 * second writes, at its width, where the first may still be reading other cores' rows at its own.
 */
final class ImageSchedule<A> implements Compiled {
    /** Images per block below which a batch is not split: an image's convolutions are work enough to hand off. */
    static final int MIN_ROWS = 2;

    private enum Kind { DENSE, CONV, MAX_POOL, AVG_POOL, FLATTEN, ELEMENT_WISE }

    /**
     * One layer of the schedule: its input and output widths, the index of its weights in θ
     * (biases follow; -1 without), and, for an element-wise layer, whether it runs in place on
     * the output of the layer before (which no backward then needs).
     */
    private record Stage(Kind kind, Layer layer, int in, int out, int param, boolean inPlace) {}

    /** The arguments of one step, handed to every core at once and never changed. */
    private record Step(Matrix x, Schedule.Rows rows, int[] labels, Loss loss, double scale, double[] logits,
                        Optimizer optimizer, boolean deferred, int groups) {}

    private enum Theta { STALE, SAME, AHEAD }

    private final Ops<A> ops;
    private final ImageOps<A> images;
    private final Stage[] stages;
    private final double[][] value, grad; // the network's own arrays: θ in order
    private final A[] param, gradient; // the same as type A (the same arrays in float64)
    private final Stage[] convOf; // for each tensor, the convolution whose weights it is, or null
    private final int total, splits, widest, widestCols;
    private Theta theta = Theta.STALE;

    // buffers for the whole batch, sized for `capacity` rows plus one
    private int capacity;
    private A input; // the batch's rows, (N, d₀)
    private A[] out; // each stage's output, (N, out); an in-place stage's or a flatten's is the one before's
    private int[][] argmax; // each max pooling's maxima, (N, out)
    private A[] g; // dL/d(output), three buffers taking turns
    private A ones; // (N), all 1: a dense layer's db = gᵀ·1
    private A[] partials; // for each tensor that is a conv's weights, (MAX_GROUPS, F·K)
    private final A[] cols; // per core: a convolution's columns, (K, P) of the largest
    private final double[][] scratch = new double[Parallel.THREADS][]; // per core: the loss kernel's (k)
    private final double[][] slice = new double[Parallel.THREADS][Schedule.SLICE];
    private final double[] partLoss = new double[Parallel.THREADS];
    private final Schedule.Barrier barrier = new Schedule.Barrier();
    private Throwable failure;

    @SuppressWarnings("unchecked")
    private ImageSchedule(Ops<A> ops, ImageOps<A> images, Network network, List<Stage> stages) {
        this.ops = ops;
        this.images = images;
        this.stages = stages.toArray(new Stage[0]);
        List<Parameter> ps = network.parameters();
        value = new double[ps.size()][];
        grad = new double[ps.size()][];
        param = (A[]) new Object[ps.size()];
        gradient = (A[]) new Object[ps.size()];
        convOf = new Stage[ps.size()];
        int n = 0;
        for (int i = 0; i < ps.size(); i++) {
            value[i] = ps.get(i).value().data();
            grad[i] = ps.get(i).grad().data();
            param[i] = ops.mirror(value[i]);
            gradient[i] = ops.mirror(grad[i]);
            n += value[i].length;
        }
        int wide = network.inputSize(), colsSize = 0;
        for (Stage s : stages) {
            wide = Math.max(wide, s.out());
            if (s.kind() == Kind.CONV) {
                convOf[s.param()] = s;
                Conv2d.Geometry geo = ((Conv2d) s.layer()).geometry();
                colsSize = Math.max(colsSize, geo.patch() * geo.positions());
            }
        }
        total = n;
        widest = wide;
        widestCols = colsSize;
        splits = Parallel.THREADS;
        cols = (A[]) new Object[splits];
        for (int p = 0; p < splits; p++) {
            cols[p] = ops.alloc(widestCols + 1);
            scratch[p] = new double[network.outputSize()];
        }
    }

    /**
     * Whether {@code network} has images to schedule: at least one convolution or pooling, and only
     * convolutions, pooling, flatten, dense and element-wise layers (dropout included), the last a
     * dense layer or an element-wise one after it.
     */
    static boolean fits(Network network) {
        boolean images = false;
        for (Layer layer : network.layers()) {
            boolean image = layer instanceof Conv2d || layer instanceof MaxPool2d || layer instanceof AvgPool2d;
            images |= image;
            if (!image && !(layer instanceof Dense || layer instanceof Flatten || layer instanceof ElementWise)) {
                return false;
            }
        }
        return images;
    }

    /** The schedule of {@code network} in the type of {@code ops}, or null when it does not {@link #fits}. */
    static <A> ImageSchedule<A> of(Ops<A> ops, ImageOps<A> images, Network network) {
        if (!fits(network)) {
            return null;
        }
        List<Stage> stages = new ArrayList<>();
        int width = network.inputSize(), param = 0;
        Layer before = null;
        for (Layer layer : network.layers()) {
            int out = layer.outputSize(width);
            Kind kind = layer instanceof Conv2d ? Kind.CONV : layer instanceof Dense ? Kind.DENSE
                    : layer instanceof MaxPool2d ? Kind.MAX_POOL : layer instanceof AvgPool2d ? Kind.AVG_POOL
                    : layer instanceof Flatten ? Kind.FLATTEN : Kind.ELEMENT_WISE;
            // an activation overwrites the output before it, unless that is the data, another
            // element-wise layer's (whose backward reads it) or a flatten's (the data's, perhaps);
            // a dropout keeps its own, as the activation before it reads its output
            boolean inPlace = kind == Kind.ELEMENT_WISE && !(layer instanceof Dropout) && before != null
                    && !(before instanceof ElementWise) && !(before instanceof Flatten);
            int p = layer.parameters().isEmpty() ? -1 : param;
            stages.add(new Stage(kind, layer, width, out, p, inPlace));
            param += layer.parameters().size();
            width = out;
            before = layer;
        }
        return new ImageSchedule<>(ops, images, network, stages);
    }

    @Override
    public double step(Matrix x, Schedule.Rows rows, int[] labels, Loss loss, double scale, Matrix logits,
                       Optimizer optimizer, List<Parameter> parameters, boolean continuing, boolean deferred) {
        check(x, rows, x.rows(), labels);
        int n = x.rows();
        Step step = new Step(x, rows, labels, loss, scale, logits.data(), optimizer, deferred, Conv2d.groups(n));
        int parts = Math.max(1, Math.min(splits, n / MIN_ROWS));
        if (!Parallel.concurrent(parts)) {
            parts = 1;
        }
        ensure(n);
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
    public double forward(Schedule.Rows rows, int n, int[] labels, Loss loss, Matrix logits, boolean fresh) {
        check(null, rows, n, labels);
        int parts = Math.max(1, Math.min(splits, n / MIN_ROWS));
        ensure(n);
        if (ops.copiesTheta() && (fresh || theta == Theta.STALE)) {
            roundTheta(parts);
        }
        Parallel.parts(n, parts, (part, from, to) -> partLoss[part] = forwardBlock(null, rows, labels, loss,
                logits.data(), part, from, to - from, 1.0));
        double summed = 0.0;
        for (int p = 0; p < parts; p++) {
            summed += partLoss[p];
        }
        return summed;
    }

    /** Refuses a batch x (or, null, rows alone) of n rows that does not fit the network or the labels. */
    private void check(Matrix x, Schedule.Rows rows, int n, int[] labels) {
        int w0 = stages[0].in();
        if (x != null && x.cols() != w0 || rows != null && rows.features().cols() != w0) {
            throw new ShapeException("the network takes rows of " + w0 + " values, got "
                    + (rows != null ? rows.features().cols() : x.shape()));
        }
        if (labels.length != n) {
            throw new ShapeException("loss: " + n + " rows of input but " + labels.length + " labels");
        }
    }

    /** Rows [from, from + n) of the batch through every stage and the loss (g[0] = scale·dℓ/d output), on one core; returns their Σ ℓ. */
    private double forwardBlock(Matrix x, Schedule.Rows rows, int[] labels, Loss loss, double[] logits, int part,
            int from, int n, double scale) {
        int w0 = stages[0].in();
        if (rows != null) {
            ops.gather(rows.features(), rows.order(), rows.from() + from, n, input, from * w0, 0, w0);
        } else {
            ops.input(x.data(), from * w0, n * w0, input);
        }
        for (int i = 0; i < stages.length; i++) {
            forward(stages[i], i, i == 0 ? input : out[i - 1], part, from, n);
        }
        int k = stages[stages.length - 1].out();
        A top = out[stages.length - 1];
        double summed = ops.lossRows(loss, top, from * k, n, k, labels, from, scale, g[0], scratch[part]);
        ops.widen(top, from * k, (from + n) * k, logits, from * k);
        return summed;
    }

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

    /** Sizes the batch's buffers for n rows, plus the padding row BLAS's bounds check wants. */
    @SuppressWarnings("unchecked")
    private void ensure(int n) {
        if (n <= capacity) {
            return;
        }
        capacity = n;
        input = ops.alloc((n + 1) * stages[0].in());
        out = (A[]) new Object[stages.length];
        argmax = new int[stages.length][];
        for (int i = 0; i < stages.length; i++) {
            Stage s = stages[i];
            boolean alias = s.inPlace() || s.kind() == Kind.FLATTEN;
            out[i] = !alias ? ops.alloc((n + 1) * s.out()) : i == 0 ? input : out[i - 1];
            argmax[i] = s.kind() == Kind.MAX_POOL ? new int[n * s.out()] : null;
        }
        g = (A[]) new Object[] {ops.alloc((n + 1) * widest), ops.alloc((n + 1) * widest), ops.alloc((n + 1) * widest)};
        ones = ops.ones(n);
        partials = (A[]) new Object[value.length];
        for (int t = 0; t < value.length; t++) {
            partials[t] = convOf[t] == null ? null : ops.alloc(Conv2d.MAX_GROUPS * value[t].length + 1);
        }
    }

    private void runBlock(Step step, int parts, int part, int from, int to) {
        try {
            partLoss[part] = run(step, parts, part, from, to - from);
        } catch (Schedule.Barrier.Aborted a) {
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

    /** Core {@code part}'s share of the step: rows [from, from + n) of the batch forward and backward, and its blocks of the gradients. */
    private double run(Step step, int parts, int part, int from, int n) {
        double loss = forwardBlock(step.x(), step.rows(), step.labels(), step.loss(), step.logits(), part, from, n,
                step.scale());
        int cur = 0, busy = -1; // g[cur] holds dL/d(output); no core may write g[busy] until the cores meet again
        boolean pooled = false; // whether a pooling's backward ran since the cores last met
        for (int i = stages.length - 1; i >= 0; i--) {
            Stage s = stages[i];
            A below = i == 0 ? input : out[i - 1];
            switch (s.kind()) {
                case ELEMENT_WISE -> {
                    if (i > 0) {
                        ops.activationBackward((ElementWise) s.layer(), g[cur], out[i], from * s.out(), n * s.out());
                    }
                }
                case FLATTEN -> { }
                case MAX_POOL, AVG_POOL -> {
                    if (i > 0) {
                        if (pooled) {
                            // A second pooling would write the buffer the first one read, at another
                            // width: this core's rows there are other cores' rows at the first width,
                            // which they may not have read yet. Once the cores meet, no one reads any
                            // buffer but its own rows of g[cur].
                            barrier.await();
                            busy = -1;
                        }
                        pooled = true;
                        int next = free(cur, busy);
                        poolBackward(s, i, g[cur], g[next], from, n);
                        cur = next;
                    }
                }
                case CONV, DENSE -> {
                    barrier.await(); // every core's rows of g are in, and every read of g[busy] is done
                    busy = cur;
                    pooled = false;
                    if (s.kind() == Kind.CONV) {
                        convGradients(step, s, below, g[cur], parts, part);
                    } else {
                        denseGradients(step, s, below, g[cur], parts, part);
                    }
                    if (i > 0) {
                        int next = free(cur, busy);
                        inputGradient(s, g[cur], g[next], part, from, n);
                        cur = next;
                    }
                }
                default -> throw new AssertionError(s.kind());
            }
        }
        return loss;
    }

    /** A buffer of g that is neither the current one nor one that other cores may still read. */
    private static int free(int cur, int busy) {
        for (int b = 0; b < 3; b++) {
            if (b != cur && b != busy) {
                return b;
            }
        }
        throw new AssertionError();
    }

    private void forward(Stage s, int i, A below, int part, int from, int n) {
        int in = s.in(), o = s.out();
        switch (s.kind()) {
            case CONV -> images.convForward(below, from * in, param[s.param()], param[s.param() + 1], out[i], from * o,
                    n, ((Conv2d) s.layer()).geometry(), cols[part]);
            case DENSE -> ops.denseForward(below, from * in, param[s.param()], param[s.param() + 1], out[i], from * o,
                    n, in, o);
            case MAX_POOL -> images.maxPoolForward(below, from * in, out[i], from * o, argmax[i], from * o, n,
                    ((MaxPool2d) s.layer()).window());
            case AVG_POOL -> images.avgPoolForward(below, from * in, out[i], from * o, n,
                    ((AvgPool2d) s.layer()).window());
            case FLATTEN -> { }
            case ELEMENT_WISE -> {
                if (s.inPlace()) {
                    ops.activate((ElementWise) s.layer(), out[i], from * o, n * o);
                } else {
                    ops.forward((ElementWise) s.layer(), below, out[i], from * o, n * o);
                }
            }
            default -> throw new AssertionError(s.kind());
        }
    }

    private void poolBackward(Stage s, int i, A dY, A dX, int from, int n) {
        int in = s.in(), o = s.out();
        if (s.kind() == Kind.MAX_POOL) {
            images.maxPoolBackward(dY, from * o, argmax[i], from * o, dX, from * in, n, ((MaxPool2d) s.layer()).window());
        } else {
            images.avgPoolBackward(dY, from * o, dX, from * in, n, ((AvgPool2d) s.layer()).window());
        }
    }

    /**
     * The core's groups of the convolution's weight gradient, each a partial sum over its images
     * into the convolution's partials, and its filters' entries of db over all N images.
     */
    private void convGradients(Step step, Stage s, A x, A dY, int parts, int part) {
        Conv2d.Geometry geo = ((Conv2d) s.layer()).geometry();
        int n = step.x().rows(), groups = step.groups(), size = value[s.param()].length;
        A partial = partials[s.param()];
        for (int k = Parallel.start(groups, part, parts), end = Parallel.start(groups, part + 1, parts); k < end; k++) {
            int r0 = Parallel.start(n, k, groups), r1 = Parallel.start(n, k + 1, groups);
            images.convWeightGradient(x, r0 * s.in(), dY, r0 * s.out(), partial, k * size, r1 - r0, geo, cols[part]);
        }
        int f0 = Parallel.start(geo.filters(), part, parts), f1 = Parallel.start(geo.filters(), part + 1, parts);
        if (f1 > f0) {
            images.convBiasGradient(dY, 0, gradient[s.param() + 1], f0, f1, n, geo);
        }
    }

    /** The core's rows of the dense layer's dW and entries of db, over all N rows. */
    private void denseGradients(Step step, Stage s, A x, A dY, int parts, int part) {
        int n = step.x().rows(), in = s.in(), d = s.out();
        int r0 = Parallel.start(in, part, parts), r1 = Parallel.start(in, part + 1, parts);
        if (r1 > r0) {
            ops.denseWeightGradient(x, dY, gradient[s.param()], r0, r1, n, in, d);
        }
        int c0 = Parallel.start(d, part, parts), c1 = Parallel.start(d, part + 1, parts);
        if (c1 > c0) {
            ops.denseBiasGradient(dY, ones, gradient[s.param() + 1], c0, c1, n, d);
        }
    }

    /** dL/dx of the core's rows, from dL/dy of the same rows, with the weights before the update. */
    private void inputGradient(Stage s, A dY, A dX, int part, int from, int n) {
        if (s.kind() == Kind.CONV) {
            images.convInputGradient(dY, from * s.out(), param[s.param()], dX, from * s.in(), n,
                    ((Conv2d) s.layer()).geometry(), cols[part]);
        } else {
            ops.denseInputGradient(dY, from * s.out(), param[s.param()], dX, from * s.in(), n, s.in(), s.out());
        }
    }

    /**
     * Updates θ in [from, to) of the concatenated parameters a slice at a time, as
     * {@link Schedule} does, each convolution's weight gradient first summed from its groups'
     * partials, slice by slice.
     */
    private void update(Step step, int part, int from, int to) {
        Optimizer optimizer = step.optimizer();
        boolean inType = optimizer != null && (!ops.copiesTheta() || optimizer.updatesFloat());
        Slice body = (t, a, b) -> {
            A dTheta = gradient[t];
            if (convOf[t] != null) {
                images.sumPartials(partials[t], step.groups(), value[t].length, dTheta, a, b);
            }
            if (optimizer == null) {
                ops.widen(dTheta, a, b, grad[t], a);
            } else if (inType) {
                ops.update(optimizer, t, param[t], a, b, dTheta);
                if (!step.deferred()) {
                    ops.widen(param[t], a, b, value[t], a);
                }
            } else {
                ops.widen(dTheta, a, b, slice[part], 0);
                optimizer.update(t, value[t], a, b, slice[part], 0);
                ops.refresh(value[t], param[t], a, b);
            }
        };
        for (int lo = from; lo < to; lo += Schedule.SLICE) {
            forEachSlice(lo, Math.min(to, lo + Schedule.SLICE), body);
        }
    }

    private interface Slice {
        void run(int tensor, int from, int to);
    }

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
}
