package dev.descent.live;

import dev.descent.data.Dataset;
import dev.descent.doctor.LayerSample;
import dev.descent.gradient.Backpropagation;
import dev.descent.gradient.GradientSource;
import dev.descent.loss.Loss;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Matrix;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Takes a run's per-layer figures ({@link LayerSample}, the doctor's) on a fixed, small sample of
 * its training data, so that figures from different epochs are comparable and cheap: the gradient
 * on at most {@link #GRADIENT_ROWS} rows, unit activity on at most {@link #WATCHED_ROWS}.
 */
public final class LayerProbe {
    /** The gradient and the next step's update are taken on this many rows at most. */
    public static final int GRADIENT_ROWS = 128;
    /** Dead and saturated units are counted on this many rows at most. */
    public static final int WATCHED_ROWS = 512;

    /**
     * The layers' own backprop, in float64, never the run's training step: called from outside the
     * run's steps (no optimizer, another batch), the step's JIT-compiled code met branches it had
     * never taken and went back to the interpreter, and every epoch after a sample trained slower
     * (docs/live.md). The figures are the same (the step's gradient is this one, in float32 to
     * float rounding; with central differences, to about 1e-7).
     */
    private final GradientSource gradients = new Backpropagation();
    private final Loss loss;
    private final Supplier<Optimizer> next;
    private final Matrix x;
    private final int[] y;
    private final Matrix watched;

    /**
     * @param next      an optimizer in the run's optimizer's current state, a fresh copy each time
     * @param batch     the run's batch size: the gradient is taken on no more rows than a step sees
     */
    public LayerProbe(Loss loss, Supplier<Optimizer> next, Dataset data, int batch) {
        this.loss = loss;
        this.next = next;
        Dataset sample = sample(data, WATCHED_ROWS);
        Dataset first = sample.head(Math.min(sample.size(), Math.min(batch, GRADIENT_ROWS)));
        this.x = first.featureMatrix();
        this.y = first.labels();
        this.watched = sample.featureMatrix();
    }

    /** The figures at the network's current parameters, which are left as they were. */
    public LayerSample take(Network network) {
        return LayerSample.of(network, gradients, loss, next.get(), x, y, watched);
    }

    /** All rows when there are at most n, else a seeded n of them in their order. */
    private static Dataset sample(Dataset data, int n) {
        if (data.size() <= n) {
            return data;
        }
        int[] rows = Arrays.copyOf(Dataset.shuffled(data.size(), new Random(17)), n);
        Arrays.sort(rows);
        return data.select(rows, data.description());
    }
}
