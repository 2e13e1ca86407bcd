package dev.descent.fused;

import dev.descent.layers.Parameter;
import dev.descent.loss.Loss;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Matrix;
import java.util.List;

/**
 * A network compiled into a fused schedule, in the type its {@link Ops} hold: {@link Schedule}
 * for dense layers, {@link ImageSchedule} for a network of images. {@link FusedBackprop} runs
 * either the same way.
 */
interface Compiled {
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
    double step(Matrix x, Schedule.Rows rows, int[] labels, Loss loss, double scale, Matrix logits, Optimizer optimizer,
                List<Parameter> parameters, boolean continuing, boolean deferred);

    /**
     * The forward pass and the loss alone on the n rows {@code rows}, each core its own rows (an evaluation: nothing is kept for a backward
     * pass, no core waits for another). Returns Σ ℓ over the batch and leaves the output in
     * {@code logits} (N, d_L). Where θ is kept in float, it is rounded from the network's first
     * when {@code fresh} (after writing back what a run left ahead), else used as it stands.
     */
    double forward(Schedule.Rows rows, int n, int[] labels, Loss loss, Matrix logits, boolean fresh);

    /** Writes θ, kept in float by deferred steps, to the network's parameters (exactly, widened). */
    void writeBack();
}
