package dev.descent.fused;

import dev.descent.layers.Dense;
import dev.descent.layers.Dropout;
import dev.descent.layers.ElementWise;
import dev.descent.layers.Layer;
import dev.descent.loss.Loss;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import dev.descent.tensor.NativeProducts;
import dev.descent.tensor.Parallel;
import dev.descent.tensor.ShapeException;
import java.util.ArrayList;
import java.util.List;

/**
 * The forward pass and the loss alone, in the type {@code A}, each core on its own block of the
 * batch's rows, at parameters given for the pass (θ ± εz for a zeroth-order step), for a network
 * that {@link Schedule#fits}. As in {@link Schedule}, every stage is a kernel of the layer or the
 * loss ({@link Dense#forward}, {@link ElementWise#forward}, {@link Loss#rows}); this class only
 * says which rows each core runs. With a₀ = x: (N, d₀) and Wₗ: (dₗ₋₁, dₗ):
 * <pre>
 *   forward    aₗ = f(aₗ₋₁·Wₗ + bₗ)     Dense.forward, then f's forward and dropout's, on the core's rows
 *   loss       Σ ℓ                       the loss's row kernel, on the core's rows
 * </pre>
 * The rows never meet, so the cores never wait for one another until the pass ends. Each layer
 * has its own output buffer, (N, dₗ), as the layers of the reference schedule keep theirs: with
 * buffers taking turns, a core that ran ahead to a narrower layer would write where another core
 * still read a wider one; and each value sits at its index in the whole batch, which dropout's
 * masks are a function of. Nothing else is kept: no gradients, no buffers for a backward pass.
 */
final class Forward<A> {
    private final Ops<A> ops;
    private final int layers;
    private final int[] width; // d₀ .. d_L
    private final ElementWise[] act; // f of each dense layer, or null
    private final Dropout[] drop; // the dropout after f, or null
    private final int splits;
    private final double[][] scratch = new double[Parallel.THREADS][]; // per core: the loss kernel's (k)
    private final double[] partLoss = new double[Parallel.THREADS];

    // buffers for the whole batch, sized for `capacity` rows plus one (see Schedule on netlib's bounds check)
    private int capacity;
    private A input; // the batch's rows (N, d₀)
    private A[] out; // aₗ: (N, dₗ) for l = 1..L
    private A g; // the loss kernel's gradient, (N, d_L), not read

    private Forward(Ops<A> ops, Network network, List<Integer> widths, List<ElementWise> acts, List<Dropout> drops) {
        this.ops = ops;
        this.layers = acts.size();
        this.width = widths.stream().mapToInt(Integer::intValue).toArray();
        this.act = acts.toArray(new ElementWise[0]);
        this.drop = drops.toArray(new Dropout[0]);
        for (int p = 0; p < scratch.length; p++) {
            scratch[p] = new double[network.outputSize()];
        }
        // Blocks on several cores only when each native product runs on its caller's thread.
        this.splits = NativeProducts.singleThreaded() ? Parallel.THREADS : 1;
    }

    /** The forward schedule of {@code network} in the type of {@code ops}, or null when it does not {@link Schedule#fits}. */
    static <A> Forward<A> of(Ops<A> ops, Network network) {
        if (!Schedule.fits(network)) {
            return null;
        }
        List<Integer> widths = new ArrayList<>(List.of(network.inputSize()));
        List<ElementWise> acts = new ArrayList<>();
        List<Dropout> drops = new ArrayList<>();
        for (Layer layer : network.layers()) {
            int last = acts.size() - 1;
            if (layer instanceof Dense d) {
                widths.add(d.outputSize());
                acts.add(null);
                drops.add(null);
            } else if (layer instanceof Dropout dr && acts.get(last) != null) {
                drops.set(last, dr);
            } else {
                acts.set(last, (ElementWise) layer);
            }
        }
        return new Forward<>(ops, network, widths, acts, drops);
    }

    /**
     * Σ ℓ over the batch x: (N, d₀), or over {@code rows} with x only giving the batch's shape, at
     * the parameters {@code theta} (W1, b1, W2, ... in this type); the output into {@code logits}
     * (N, d_L), widened.
     */
    double run(A[] theta, Matrix x, Schedule.Rows rows, int[] labels, Loss loss, Matrix logits) {
        if (x.cols() != width[0] || rows != null && rows.features().cols() != width[0]) {
            throw new ShapeException("dense layer takes " + width[0] + " inputs, got a batch of "
                    + (rows == null ? x.shape() : rows.features().cols() + " features"));
        }
        if (labels.length != x.rows()) {
            throw new ShapeException("loss: " + x.rows() + " rows of input but " + labels.length + " labels");
        }
        int n = x.rows();
        ensure(n);
        int parts = Math.max(1, Math.min(splits, n / Schedule.MIN_ROWS));
        Parallel.parts(n, parts, (part, from, to) -> partLoss[part] = block(theta, x, rows, labels, loss, logits,
                part, from, to - from));
        double summed = 0.0;
        for (int p = 0; p < parts; p++) {
            summed += partLoss[p];
        }
        return summed;
    }

    /** Rows [from, from + n) of the batch through every layer and the loss, on one core. */
    private double block(A[] theta, Matrix x, Schedule.Rows rows, int[] labels, Loss loss, Matrix logits, int part,
            int from, int n) {
        int w = width[0];
        if (rows != null) { // straight from the data set
            ops.gather(rows.features(), rows.order(), rows.from() + from, n, input, from * w, 0, w);
        } else {
            ops.input(x.data(), from * w, n * w, input);
        }
        for (int l = 0; l < layers; l++) {
            int in = width[l], d = width[l + 1];
            A below = l == 0 ? input : out[l - 1];
            ops.denseForward(below, from * in, theta[2 * l], theta[2 * l + 1], out[l], from * d, n, in, d);
            if (act[l] != null) {
                ops.activate(act[l], out[l], from * d, n * d);
            }
            if (drop[l] != null) {
                ops.forward(drop[l], out[l], out[l], from * d, n * d);
            }
        }
        int k = width[layers];
        double summed = ops.lossRows(loss, out[layers - 1], from * k, n, k, labels, from, 1.0, g, scratch[part]);
        ops.widen(out[layers - 1], from * k, (from + n) * k, logits.data(), from * k);
        return summed;
    }

    /** Sizes the batch's buffers for n rows, plus the padding row. */
    @SuppressWarnings("unchecked")
    private void ensure(int n) {
        if (n <= capacity) {
            return;
        }
        capacity = n;
        input = ops.alloc((n + 1) * width[0]);
        out = (A[]) new Object[layers];
        for (int l = 0; l < layers; l++) {
            out[l] = ops.alloc((n + 1) * width[l + 1]);
        }
        g = ops.alloc((n + 1) * width[layers]);
    }
}
