package dev.descent.fused;

import dev.descent.data.Features;
import dev.descent.gradient.GradientSource;
import dev.descent.gradient.Spsa;
import dev.descent.loss.Loss;
import dev.descent.loss.Objective;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import dev.descent.train.TrainingStep;
import java.util.Map;

/**
 * Zeroth-order training (ZO-SGD, and momentum or Adam on its estimate): each step measures the
 * central differences of the loss, or of a metric without a gradient, along n random directions
 * ({@link Spsa}), two forward passes each, and updates θ along the estimate ĝ, with MeZO's
 * scheme: the directions are regenerated from the step's key, never stored, so a step holds θ,
 * one copy of the point θ ± εz that its forward passes read (float in float32), and one batch's
 * activations; no gradient, no activations kept for a backward pass.
 *
 * <p>The forward passes run on the fused schedule ({@link SpsaSchedule}, {@link Forward}), in
 * float64 or float32, split across the cores; a network it cannot schedule (a layer of one's own
 * between the dense layers), or a loss without row kernels, on the reference schedule
 * ({@link Spsa} itself, which perturbs θ in place and puts it back from a copy). In float32 only
 * the forward passes are float: θ and its update stay double, as the network holds them.
 *
 * <p>It is both a {@link TrainingStep} and a {@link GradientSource} (ĝ into the parameters'
 * gradients), so that what trains can be checked: {@code descent gradcheck --gradient spsa}
 * measures its cosine with backprop's gradient. {@link #forChecking()} is the gradient ĝ
 * estimates, backprop's, which a check against central differences can hold to 1e-7.
 */
public final class FusedSpsa implements GradientSource, TrainingStep {
    private final Dtype dtype;
    private final Spsa reference;
    private final TrainingStep referenceStep;
    private Network compiledFor;
    private SpsaSchedule<?> schedule; // null when compiledFor runs on the reference schedule
    private Matrix logits, otherLogits; // the output of a full batch and of the last, smaller one

    /**
     * @param h          ε, the step of each central difference
     * @param directions n, the directions averaged in each estimate
     * @param objective  the loss, or a metric without a gradient
     */
    public FusedSpsa(Dtype dtype, double h, int directions, Objective objective) {
        this.dtype = dtype;
        this.reference = new Spsa(h, directions, objective);
        this.referenceStep = TrainingStep.of(reference);
    }

    public Dtype dtype() {
        return dtype;
    }

    /** The estimator's settings (ε, directions, objective) and its key. */
    public Spsa estimator() {
        return reference;
    }

    /** Whether {@code network} on {@code loss} runs on the fused schedule (else on the reference one). */
    public static boolean schedules(Network network, Loss loss) {
        return loss.hasRowKernels() && Schedule.fits(network);
    }

    /** The directions of the steps from now on are those of {@code key} (the trainer's: seed, epoch, batch). */
    @Override
    public void key(long key) {
        reference.key(key);
    }

    /** ĝ into the parameters' gradients, θ left bit for bit as it was. */
    @Override
    public Result computeGradients(Network network, Loss loss, Matrix x, int[] labels) {
        if (!fused(network, loss)) {
            return reference.computeGradients(network, loss, x, labels);
        }
        Spsa.Slopes s = schedule.measure(reference, x, null, labels, loss, output(x.rows(), network.outputSize()));
        schedule.estimate(reference, s.slopes(), network.parameters());
        return new Result(s.loss(), s.output());
    }

    /**
     * The loss at θ by one forward pass on this step's schedule (float32 or float64), no step taken:
     * what each of a step's 2n evaluations costs, and all the memory it holds.
     */
    public double loss(Network network, Loss loss, Matrix x, int[] labels) {
        if (!fused(network, loss)) {
            return GradientSource.loss(network, loss, x, labels);
        }
        return schedule.loss(x, labels, loss, output(x.rows(), network.outputSize()));
    }

    /**
     * Measures the slopes, then updates θ along ĝ. The loss returned is the mean over the 2n points
     * (L(θ) + O(ε²)), and the output that of the last point, θ − εz_n.
     */
    @Override
    public Result step(Network network, Loss loss, Matrix x, int[] labels, Optimizer optimizer) {
        return fused(network, loss) ? fusedStep(network, loss, x, null, labels, optimizer)
                : referenceStep.step(network, loss, x, labels, optimizer);
    }

    /** Each core reads its rows of the batch straight from {@code features}, in this type. */
    @Override
    public Result step(Network network, Loss loss, Features features, int[] order, int from, Matrix x, int[] labels,
                       Optimizer optimizer) {
        return fused(network, loss)
                ? fusedStep(network, loss, x, new Schedule.Rows(features, order, from), labels, optimizer)
                : referenceStep.step(network, loss, features, order, from, x, labels, optimizer);
    }

    private Result fusedStep(Network network, Loss loss, Matrix x, Schedule.Rows rows, int[] labels,
            Optimizer optimizer) {
        Spsa.Slopes s = schedule.measure(reference, x, rows, labels, loss, output(x.rows(), network.outputSize()));
        schedule.update(reference, s.slopes(), optimizer, network.parameters());
        return new Result(s.loss(), s.output());
    }

    @Override
    public GradientSource gradients() {
        return this;
    }

    /** Whether {@code network} on {@code loss} runs fused; compiles its schedule the first time. */
    private boolean fused(Network network, Loss loss) {
        if (network != compiledFor) {
            schedule = dtype == Dtype.FLOAT32 ? SpsaSchedule.of(Ops.FLOAT32, network)
                    : SpsaSchedule.of(Ops.FLOAT64, network);
            compiledFor = network;
        }
        return schedule != null && loss.hasRowKernels();
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
        return reference.describe() + (dtype == Dtype.FLOAT32 ? ", forward passes in float32" : "");
    }

    /**
     * The gradient ĝ estimates (E[ĝ] = ∇L + O(ε²)): backpropagation's, on the fused schedule in
     * float64. A check of this run against central differences checks the loss and the network it
     * descends; the estimate itself is checked statistically ({@code gradcheck.SpsaCheck}).
     */
    @Override
    public GradientSource forChecking() {
        return new FusedBackprop(Dtype.FLOAT64);
    }

    @Override
    public Map<String, Object> provenance() {
        Map<String, Object> p = reference.provenance();
        p.put("dtype", dtype.label());
        return p;
    }
}
