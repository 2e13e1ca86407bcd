package dev.descent.live;

import dev.descent.network.Network;
import dev.descent.train.History;
import dev.descent.train.TrainingListener;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * Records a run into a {@link RunLog} as it trains, for the live page and the report: every
 * epoch's row with its learning rate, a smoothed per-batch loss, and the per-layer figures.
 *
 * <p>It must not slow training. Per batch it does a few arithmetic operations, and keeps a point
 * (three numbers, written as JSON only when read: {@link RunLog#appendPoint}) every {@code every}
 * batches, about {@link #BATCH_POINTS} over the run. The per-layer figures cost a forward and
 * backward pass on a small sample ({@link LayerProbe}), between epochs (outside the epoch's time),
 * so they are taken at the start and after the last epoch, and after any other epoch only while
 * the time spent on them stays under {@link #BUDGET} of the time trained so far plus
 * {@link #SLACK_NANOS} in all (so a run of milliseconds, the seed example's, is sampled every epoch
 * at a cost no one sees). The probe must not run through the run's own compiled step: see
 * {@link LayerProbe}.
 */
public final class LiveRecorder implements TrainingListener {
    /** The per-layer figures may take at most this fraction of the run's time. */
    public static final double BUDGET = 0.01;
    /** ... plus this much in the whole run. */
    public static final long SLACK_NANOS = 20_000_000L;
    /** About this many points of the per-batch loss over the whole run. */
    public static final int BATCH_POINTS = 2000;

    private final RunLog log;
    private final LayerProbe probe;
    private final IntToDoubleFunction learningRate; // of epoch e, from 1
    private final double batchScale;
    private final List<History.Row> earlier;
    private Network network;
    private int epochs, every = 1, lastSampled = -1;
    private long started, spent;
    private double previousSeen, previousSum, ema, emaWeight, beta;

    /**
     * @param probe        takes the per-layer figures, or null for none
     * @param learningRate the rate the run trains with in epoch e (from 1), as its schedule sets it
     * @param batchScale   what a batch's mean loss per sample is multiplied by to be on the scale of
     *                     an epoch's loss: the number of samples for a summed loss, else 1
     * @param earlier      the rows of a resumed run up to where it resumes (from epoch 0), or empty
     */
    public LiveRecorder(RunLog log, LayerProbe probe, IntToDoubleFunction learningRate,
            double batchScale,
            List<History.Row> earlier) {
        this.log = log;
        this.probe = probe;
        this.learningRate = learningRate;
        this.batchScale = batchScale;
        this.earlier = List.copyOf(earlier);
    }

    @Override
    public void onStart(Network network, int epochs, History.Row initial) {
        this.network = network;
        this.epochs = epochs;
        for (History.Row row : earlier.isEmpty() ? List.of(initial) : earlier) {
            log.append(Events.epoch(row, rate(row)));
        }
        started = System.nanoTime();
        sample(earlier.isEmpty() ? 0 : earlier.get(earlier.size() - 1).epoch());
    }

    @Override
    public void onBatch(int epoch, int batch, int batches, int samples, double runningLoss) {
        if (batch == 1) {
            previousSeen = previousSum = 0;
            if (beta == 0) {
                every = Math.max(1, (int) Math.ceil((double) batches * epochs / BATCH_POINTS));
                beta = 1 - 1.0 / Math.max(10, every); // the average spans about the batches between points
            }
        }
        double sum = runningLoss * samples;
        double loss = (sum - previousSum) / (samples - previousSeen) * batchScale;
        previousSum = sum;
        previousSeen = samples;
        if (Double.isFinite(loss)) {
            ema = beta * ema + (1 - beta) * loss;
            emaWeight = beta * emaWeight + (1 - beta);
        }
        if (batch % every == 0 || batch == batches) {
            log.appendPoint(epoch - 1 + (double) batch / batches, ema / emaWeight, loss);
        }
    }

    @Override
    public void onEpoch(History.Row row) {
        log.append(Events.epoch(row, rate(row)));
        boolean withinBudget = spent <= BUDGET * (System.nanoTime() - started) + SLACK_NANOS;
        if (Double.isFinite(row.loss()) && (row.epoch() == epochs || withinBudget)) {
            sample(row.epoch());
        }
    }

    /** The rate of the row's epoch; for epoch 0, before any step, the first epoch's. */
    private double rate(History.Row row) {
        return learningRate.applyAsDouble(Math.max(1, row.epoch()));
    }

    private void sample(int epoch) {
        if (probe == null || epoch == lastSampled) {
            return;
        }
        long t = System.nanoTime();
        log.append(Events.layers(epoch, probe.take(network)));
        spent += System.nanoTime() - t;
        lastSampled = epoch;
    }
}
