package dev.descent.fused;

import dev.descent.data.Features;
import dev.descent.gradient.Backpropagation;
import dev.descent.gradient.GradientSource;
import dev.descent.loss.Loss;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;

/**
 * Backpropagation as one fused step per batch, in float64 or float32, split across the cores:
 * the fast path for training the networks Descent builds (dense layers with relu, sigmoid or
 * tanh, and softmax cross-entropy). It fills the same gradients as {@link Backpropagation}, which
 * stays the reference that tests hold it to: equal to rounding in float64, and to float32's
 * rounding in float32.
 *
 * <p>In float32 the products, the element-wise passes and θ itself are float, as in float32
 * training with PyTorch or numpy: each slice of θ is updated in float by the optimizer's float32
 * update ({@link Optimizer#updatesFloat()}; sgd, momentum and adam have one), whose running sums
 * stay double, and written back to the network's parameters widened, exactly: after each step,
 * or, within a run of {@link #steps}, where θ stays float from step to step, when the run closes.
 * So saved models, checkpoints, resume and evaluation are unchanged. A step outside a run, or the
 * first of one, rounds the network's θ to float afresh. An optimizer without a float32 update
 * keeps θ in double, rounded to float for each step.
 *
 * <p>Any other network or loss throws: use {@link #supports} first, and {@link Backpropagation} otherwise.
 */
public final class FusedBackprop implements GradientSource {
    private final Dtype dtype;
    private Network compiledFor;
    private Fused<?> fused;
    private Matrix logits, otherLogits; // the output of a full batch and of the last, smaller one

    public FusedBackprop(Dtype dtype) {
        this.dtype = dtype;
    }

    public Dtype dtype() {
        return dtype;
    }

    /** Whether this can train {@code network} on {@code loss}. */
    public static boolean supports(Network network, Loss loss) {
        return loss instanceof SoftmaxCrossEntropy && Fused.supports(network);
    }

    @Override
    public Result computeGradients(Network network, Loss loss, Matrix x, int[] labels) {
        return train(network, loss, x, labels, null);
    }

    /**
     * The gradients and, with an optimizer, its update of θ, each core updating its share a slice
     * at a time. In float32 the update reads the float gradient, and the parameters' own (float64)
     * gradients are left as they were: call {@link #computeGradients} to read them.
     */
    @Override
    public Result train(Network network, Loss loss, Matrix x, int[] labels, Optimizer optimizer) {
        return step(network, loss, x, null, labels, optimizer, false, false);
    }

    /** Each core reads its rows of the batch straight from {@code features}, in this type. */
    @Override
    public Result train(Network network, Loss loss, Features features, int[] order, int from, Matrix x, int[] labels,
                        Optimizer optimizer) {
        return step(network, loss, x, new Fused.Rows(features, order, from), labels, optimizer, false, false);
    }

    /**
     * Steps that continue from one another: in float32, θ is rounded to float once, at the first
     * step, and the float θ each step leaves is written to the network only when the run closes
     * (on fmnist-wide that write-back is a tenth of a step).
     */
    @Override
    public Steps steps(Network network, Loss loss, Optimizer optimizer) {
        return new Steps() {
            boolean first = true;

            @Override
            public Result step(Features features, int[] order, int from, Matrix x, int[] labels) {
                Result r = FusedBackprop.this.step(network, loss, x, new Fused.Rows(features, order, from), labels,
                        optimizer, !first, true);
                first = false;
                return r;
            }

            @Override
            public void close() {
                if (!first && network == compiledFor) {
                    fused.writeBack();
                }
            }
        };
    }

    /**
     * A step on x, or, when {@code rows} is given, on those rows with x only giving the batch's
     * shape. Within a run of {@link #steps}, {@code inRun}, and {@code continuing} after its first.
     */
    private Result step(Network network, Loss loss, Matrix x, Fused.Rows rows, int[] labels, Optimizer optimizer,
                        boolean continuing, boolean inRun) {
        if (!supports(network, loss)) {
            throw new IllegalArgumentException("the fused step trains dense layers with relu, sigmoid or tanh "
                    + "on softmax cross-entropy, not " + network.describe() + " on " + loss);
        }
        boolean same = network == compiledFor;
        if (!same) {
            if (fused != null) {
                fused.writeBack(); // a run on the network before, left open
            }
            fused = dtype == Dtype.FLOAT32 ? new Fused<>(FloatOps.INSTANCE, network)
                    : new Fused<>(DoubleOps.INSTANCE, network);
            compiledFor = network;
        }
        Matrix out = output(x.rows(), network.outputSize());
        boolean mean = loss.reduction() == Reduction.MEAN;
        double summed = fused.step(x, rows, labels, mean ? 1.0 / x.rows() : 1.0, out, optimizer, network.parameters(),
                continuing && same, inRun);
        return new Result(mean ? summed / x.rows() : summed, out);
    }

    /** An (n, k) buffer for the logits, kept for both batch sizes of an epoch so neither is reallocated. */
    private Matrix output(int n, int k) {
        if (logits == null || logits.rows() != n || logits.cols() != k) {
            Matrix swap = logits;
            logits = otherLogits != null && otherLogits.rows() == n && otherLogits.cols() == k ? otherLogits
                    : new Matrix(n, k);
            otherLogits = swap;
        }
        return logits;
    }

    @Override
    public String describe() {
        return dtype == Dtype.FLOAT64 ? "backprop" : "backprop in float32";
    }
}
