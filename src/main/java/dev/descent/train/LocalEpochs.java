package dev.descent.train;

import dev.descent.data.Dataset;
import dev.descent.gradient.GradientSource;
import dev.descent.layers.Dropout;
import dev.descent.loss.Loss;
import dev.descent.loss.Reduction;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Matrix;
import java.util.Random;

/**
 * Epochs on this machine: one step of a {@link TrainingStep} on the full batch, or one pass over
 * the data in mini-batches whose order is a shuffle seeded by the shuffle seed and the epoch
 * number alone (so a resumed run takes the same batches). Dropout's masks and the step's own
 * random draws ({@link TrainingStep#key}) are keyed by the same seed, the epoch and the batch.
 *
 * <p>Full batch, an epoch's loss is the loss after its step; mini-batches, the mean of the
 * batches' losses, each taken before its step (as PyTorch's and Keras' running losses are).
 */
public final class LocalEpochs implements Epochs {
    private final TrainingStep step;
    private final Loss loss;
    private final Dataset data, validation;
    private final int batchSize;
    private final long shuffleSeed;
    private final boolean full;
    private final Matrix all;
    private final int[] order;
    private Matrix batchX, tailX;
    private int[] batchY, tailY;

    /**
     * @param validation held-out data evaluated after every epoch, or null
     * @param batchSize  samples per step; a batch at least the size of the data is the full batch
     */
    public LocalEpochs(TrainingStep step, Loss loss, Dataset data, Dataset validation, int batchSize, long shuffleSeed) {
        this.step = step;
        this.loss = loss;
        this.data = data;
        this.validation = validation;
        this.batchSize = batchSize;
        this.shuffleSeed = shuffleSeed;
        this.full = data.size() <= batchSize;
        this.all = full ? data.featureMatrix() : null;
        this.order = new int[data.size()];
        if (!full) {
            batchX = new Matrix(batchSize, data.featureCount());
            batchY = new int[batchSize];
            int rest = data.size() % batchSize;
            if (rest > 0) {
                tailX = new Matrix(rest, data.featureCount());
                tailY = new int[rest];
            }
        }
    }

    @Override
    public int steps() {
        return full ? 1 : (int) ((data.size() + (long) batchSize - 1) / batchSize);
    }

    @Override
    public boolean classifies() {
        return loss.classifies();
    }

    @Override
    public boolean hasHeldOut() {
        return validation != null;
    }

    @Override
    public Evaluation training(Network network) {
        return step.evaluate(network, loss, data);
    }

    @Override
    public Evaluation heldOut(Network network) {
        return step.evaluate(network, loss, validation);
    }

    @Override
    public Evaluation run(int epoch, Progress from, Network network, Optimizer optimizer, AfterStep after) {
        return full ? fullBatch(epoch, network, optimizer) : miniBatches(epoch, from, network, optimizer, after);
    }

    /** The epoch's one step; its loss is the loss after it. */
    private Evaluation fullBatch(int epoch, Network network, Optimizer optimizer) {
        Dropout.train(network.layers(), key(epoch, 0));
        step.key(key(epoch, 0));
        try {
            step.step(network, loss, all, data.labels(), optimizer);
        } finally {
            Dropout.evaluate(network.layers());
        }
        return Evaluation.batch(network, loss, all, data.labels());
    }

    private Evaluation miniBatches(int epoch, Progress from, Network network, Optimizer optimizer, AfterStep after) {
        int n = data.size(), count = steps();
        shuffle(epoch);
        double summed = from.loss();
        int correct = from.correct();
        // One run of steps: nothing but the steps reads or changes θ until it closes (listeners only watch).
        try (TrainingStep.Run steps = step.run(network, loss, optimizer)) {
            for (int b = from.steps(); b < count; b++) {
                int first = b * batchSize, rows = Math.min(batchSize, n - first);
                Matrix x = rows == batchSize ? batchX : tailX;
                int[] y = rows == batchSize ? batchY : tailY;
                for (int i = 0; i < rows; i++) {
                    y[i] = data.labels()[order[first + i]];
                }
                Dropout.train(network.layers(), key(epoch, b));
                step.key(key(epoch, b));
                GradientSource.Result r = steps.step(data.features(), order, first, x, y);
                summed += loss.reduction() == Reduction.SUM ? r.loss() : r.loss() * rows;
                correct += loss.classifies() ? Evaluation.countCorrect(r.output(), y) : 0;
                if (after.stop(epoch, new Progress(b + 1, summed, correct), first + rows)) {
                    return null;
                }
            }
        } finally {
            Dropout.evaluate(network.layers()); // dropout is for the steps only: evaluation sees the whole network
        }
        return new Evaluation(loss.reduction() == Reduction.SUM ? summed : summed / n, correct, n);
    }

    /**
     * The key of batch b of epoch e, for dropout's masks and the step's draws: from the shuffle seed,
     * e and b alone, so a resume draws the same.
     */
    private long key(int epoch, int batch) {
        return (shuffleSeed * 0x9E3779B97F4A7C15L + epoch) * 0xC2B2AE3D27D4EB4FL + batch;
    }

    /** The order of epoch e: 0..n-1 shuffled by a generator seeded from the shuffle seed and e alone. */
    private void shuffle(int epoch) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Dataset.shuffleInPlace(order, new Random(shuffleSeed * 0x9E3779B97F4A7C15L + epoch));
    }
}
