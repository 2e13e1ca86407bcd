package dev.descent.fused;

import dev.descent.data.Dataset;
import dev.descent.data.Features;
import dev.descent.gradient.Backpropagation;
import dev.descent.gradient.GradientSource;
import dev.descent.loss.Loss;
import dev.descent.loss.Reduction;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import dev.descent.tensor.Parallel;
import dev.descent.train.Evaluation;
import dev.descent.train.TrainingStep;
import java.util.Arrays;
import java.util.Map;

/**
 * Backpropagation as one fused step per batch, in float64 or float32, split across the cores:
 * the fast path for training. It runs the same kernels as {@link Backpropagation} (the layers'
 * and the loss's own), on another schedule ({@link Schedule}): each core its own rows, the
 * cores meeting once per layer, the optimizer's update fused in. The tests hold it to the
 * reference schedule: equal to rounding in float64, and to float32's rounding in float32.
 *
 * <p>It is both a {@link GradientSource}, so that a gradient check checks this very schedule,
 * and a {@link TrainingStep}. A network it cannot schedule (one with a layer of a user's own
 * between the dense layers, say) or a loss without row kernels is trained on the reference
 * schedule instead, {@link Backpropagation} then the optimizer's step, in float64;
 * {@link #schedules} says which applies.
 *
 * <p>In float32 the products, the element-wise passes and θ itself are float, as in float32
 * training with PyTorch or numpy: each slice of θ is updated in float by the optimizer's float32
 * update ({@link Optimizer#updatesFloat()}; sgd, momentum and adam have one; momentum's
 * velocity stays double, Adam's moments are float in float steps, as PyTorch keeps them), and written back to the network's parameters widened, exactly: after each step,
 * or, within a {@link #run}, where θ stays float from step to step, when the run closes. So
 * saved models, checkpoints, resume and evaluation are unchanged. A step outside a run, or the
 * first of one, rounds the network's θ to float afresh. An optimizer without a float32 update
 * keeps θ in double, rounded to float for each step.
 */
public final class FusedBackprop implements GradientSource, TrainingStep {
    private final Dtype dtype;
    private final Backpropagation reference = new Backpropagation();
    private final TrainingStep referenceStep = TrainingStep.of(reference);
    private Network compiledFor;
    private Compiled schedule; // null when compiledFor is trained on the reference schedule
    private Matrix logits, otherLogits; // the output of a full batch and of the last, smaller one

    public FusedBackprop(Dtype dtype) {
        this.dtype = dtype;
    }

    public Dtype dtype() {
        return dtype;
    }

    /**
     * The cores a fused step of {@code rows} rows runs on: one per block of at least 32 rows, at
     * most one per core. A step on one core leaves the others idle, which a caller with other work
     * to do at once (cross-validation's folds) may use.
     */
    public static int cores(int rows) {
        return Math.max(1, Math.min(Parallel.THREADS, rows / Schedule.MIN_ROWS));
    }

    /** Whether {@code network} on {@code loss} runs on the fused schedule (else on the reference one). */
    public static boolean schedules(Network network, Loss loss) {
        return loss.hasRowKernels() && (Schedule.fits(network) || ImageSchedule.fits(network));
    }

    /** The gradients by the fused schedule, without an update; in float32, widened into the parameters' gradients. */
    @Override
    public Result computeGradients(Network network, Loss loss, Matrix x, int[] labels) {
        return fused(network, loss) ? fusedStep(network, loss, x, null, labels, null, false, false)
                : reference.computeGradients(network, loss, x, labels);
    }

    /**
     * The gradients and the optimizer's update of θ, each core updating its share a slice at a
     * time. In float32 the update reads the float gradient, and the parameters' own (float64)
     * gradients are left as they were: call {@link #computeGradients} to read them.
     */
    @Override
    public Result step(Network network, Loss loss, Matrix x, int[] labels, Optimizer optimizer) {
        return fused(network, loss) ? fusedStep(network, loss, x, null, labels, optimizer, false, false)
                : referenceStep.step(network, loss, x, labels, optimizer);
    }

    /** Each core reads its rows of the batch straight from {@code features}, in this type. */
    @Override
    public Result step(Network network, Loss loss, Features features, int[] order, int from, Matrix x, int[] labels,
                       Optimizer optimizer) {
        return fused(network, loss)
                ? fusedStep(network, loss, x, new Schedule.Rows(features, order, from), labels, optimizer, false, false)
                : referenceStep.step(network, loss, features, order, from, x, labels, optimizer);
    }

    /**
     * Steps that continue from one another: in float32, θ is rounded to float once, at the first
     * step, and the float θ each step leaves is written to the network only when the run closes
     * (on fmnist-wide that write-back is a tenth of a step).
     */
    @Override
    public Run run(Network network, Loss loss, Optimizer optimizer) {
        if (!fused(network, loss)) {
            return referenceStep.run(network, loss, optimizer);
        }
        return new Run() {
            boolean first = true;

            @Override
            public Result step(Features features, int[] order, int from, Matrix x, int[] labels) {
                Result r = FusedBackprop.this.fusedStep(network, loss, x, new Schedule.Rows(features, order, from), labels,
                        optimizer, !first, true);
                first = false;
                return r;
            }

            @Override
            public void close() {
                if (!first && network == compiledFor) {
                    schedule.writeBack();
                }
            }
        };
    }

    /**
     * The loss and accuracy on {@code data} by the forward pass of the fused schedule, in this
     * type, {@link Evaluation#BATCH} rows at a time ({@link Network#IMAGES_AT_ONCE} images), each
     * core its share of the rows, read straight from the data set; the reference's
     * {@link Evaluation#of} for a network or loss the schedule does not take.
     */
    @Override
    public Evaluation evaluate(Network network, Loss loss, Dataset data) {
        if (data.size() == 0 || !fused(network, loss)) {
            return Evaluation.of(network, loss, data);
        }
        int n = data.size(), size = Math.min(n, network.inputShape() != null ? Network.IMAGES_AT_ONCE : Evaluation.BATCH);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Matrix out = new Matrix(size, network.outputSize());
        double summed = 0.0;
        int correct = 0;
        for (int from = 0; from < n; from += size) {
            int rows = Math.min(size, n - from);
            if (rows < out.rows()) {
                out = new Matrix(rows, network.outputSize());
            }
            int[] labels = Arrays.copyOfRange(data.labels(), from, from + rows);
            summed += schedule.forward(new Schedule.Rows(data.features(), order, from), rows, labels, loss, out,
                    from == 0);
            correct += loss.classifies() ? Evaluation.countCorrect(out, labels) : 0;
        }
        return new Evaluation(loss.reduction() == Reduction.MEAN ? summed / n : summed, correct, n);
    }

    @Override
    public GradientSource gradients() {
        return this;
    }

    /** Whether {@code network} on {@code loss} runs fused; compiles its schedule the first time. */
    private boolean fused(Network network, Loss loss) {
        if (network != compiledFor) {
            if (schedule != null) {
                schedule.writeBack(); // a run on the network before, left open
            }
            schedule = compile(network);
            compiledFor = network;
        }
        return schedule != null && loss.hasRowKernels();
    }

    /** The fused schedule of {@code network} in this dtype: of dense layers, or of images; null for neither. */
    private Compiled compile(Network network) {
        if (Schedule.fits(network)) {
            return dtype == Dtype.FLOAT32 ? Schedule.of(Ops.FLOAT32, network) : Schedule.of(Ops.FLOAT64, network);
        }
        return dtype == Dtype.FLOAT32 ? ImageSchedule.of(Ops.FLOAT32, ImageOps.FLOAT32, network)
                : ImageSchedule.of(Ops.FLOAT64, ImageOps.FLOAT64, network);
    }

    /**
     * A step on x, or, when {@code rows} is given, on those rows with x only giving the batch's
     * shape. Within a run, {@code deferred}, and {@code continuing} after its first step.
     */
    private Result fusedStep(Network network, Loss loss, Matrix x, Schedule.Rows rows, int[] labels, Optimizer optimizer,
                       boolean continuing, boolean deferred) {
        Matrix out = output(x.rows(), network.outputSize());
        int n = x.rows();
        double summed = schedule.step(x, rows, labels, loss, loss.reduction().scale(n), out, optimizer,
                network.parameters(), continuing, deferred);
        return new Result(loss.reduction() == Reduction.MEAN ? summed / n : summed, out);
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

    /** The float64 twin, in float32: the same kernels and schedule, in the type central differences need. */
    @Override
    public GradientSource forChecking() {
        return dtype == Dtype.FLOAT64 ? this : new FusedBackprop(Dtype.FLOAT64);
    }

    @Override
    public Map<String, Object> provenance() {
        Map<String, Object> p = GradientSource.super.provenance();
        p.put("gradient", "backprop");
        p.put("dtype", dtype.label());
        return p;
    }
}
