package dev.descent.train;

import dev.descent.optim.Optimizer;
import dev.descent.tensor.Matrix;
import java.util.List;

/**
 * Where a training run stands between two steps: everything needed to continue it exactly, as if
 * it had never stopped. The order of each epoch's mini-batches is derived from the shuffle seed
 * and the epoch number alone, so no generator state needs keeping.
 *
 * @param epoch          epochs completed
 * @param batch          mini-batches done of the next epoch (0 at an epoch boundary)
 * @param partialLoss    the next epoch's loss summed over its samples so far
 * @param partialCorrect the next epoch's correctly classified samples so far
 * @param rows           the history so far, epoch 0 first
 * @param parameters     the network's parameters, in {@code Network.parameters()} order
 * @param optimizer      the optimizer's state
 * @param best           the early-stopping record, or null
 */
public record TrainingState(int epoch, int batch, double partialLoss, int partialCorrect, List<History.Row> rows,
        List<Matrix> parameters, Optimizer.State optimizer, Best best) {
    public TrainingState {
        rows = List.copyOf(rows);
        parameters = List.copyOf(parameters);
    }

    /** The best validation loss so far, its epoch and parameters. */
    public record Best(int epoch, double loss, List<Matrix> parameters) {
        public Best {
            parameters = List.copyOf(parameters);
        }
    }
}
