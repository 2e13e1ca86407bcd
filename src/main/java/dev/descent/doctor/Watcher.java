package dev.descent.doctor;

import dev.descent.layers.ElementWise;
import dev.descent.layers.Layer;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import dev.descent.train.History;
import dev.descent.train.TrainingListener;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Watches a training run for the doctor: the first sustained rise of the loss, the first NaN or
 * infinity, and the last epoch each ReLU unit was active on any watched sample. Keeps the
 * parameters from before the epoch of interest so the doctor can replay or check it.
 *
 * <p>A rise is sustained when the epoch's loss exceeds the lowest so far by more than
 * {@link #RISE_RELATIVE} of it plus {@link #RISE_OF_PROGRESS} of the progress made (so the wobble
 * of a loss that has fallen near zero is not one). Full-batch descent is deterministic, so one such
 * epoch is a rise; with mini-batches an epoch's loss is the mean of its batches', and the rise must
 * last two epochs in a row (or come at the last epoch) to be told from the noise of the batches.
 */
final class Watcher implements TrainingListener {
    /** A rise smaller than this, relative to the loss, is rounding, not a rise (the probes' strict rule). */
    static final double RISE_TOLERANCE = 1e-12;
    /** A sustained rise exceeds the lowest loss so far by this fraction of it ... */
    static final double RISE_RELATIVE = 0.05;
    /** ... plus this fraction of the fall from the start to that lowest loss. */
    static final double RISE_OF_PROGRESS = 0.05;

    private final Matrix watched;
    final boolean miniBatches;
    private Network network;
    private List<Matrix> previous;
    private double previousLoss, start, lowest;
    private int pendingEpoch = -1;
    private double pendingFrom, pendingTo;
    private List<Matrix> pendingBefore;

    int riseEpoch = -1;
    double riseFrom, riseTo;
    List<Matrix> beforeRise;

    int notFiniteEpoch = -1;
    List<Matrix> beforeNotFinite;

    /** For each ReLU layer (by index in the network), the last epoch each unit was active; -1 for never. */
    final Map<Integer, int[]> lastActive = new LinkedHashMap<>();

    /** @param watched the samples on which unit activity is recorded, x: (N, in) */
    Watcher(Matrix watched, boolean miniBatches) {
        this.watched = watched;
        this.miniBatches = miniBatches;
    }

    /** The samples on which unit activity is recorded. */
    Matrix watched() {
        return watched;
    }

    /** Whether {@code loss} is a sustained-size rise over a run that started at {@code start} and is at best {@code lowest}. */
    static boolean risesAbove(double loss, double start, double lowest) {
        return loss > lowest + RISE_RELATIVE * Math.abs(lowest) + RISE_OF_PROGRESS * Math.abs(start - lowest);
    }

    /** The epoch of the first sustained rise in {@code losses} (epoch 0 first), or -1. */
    static int sustainedRise(double[] losses, boolean miniBatches) {
        double lowest = losses[0];
        for (int e = 1; e < losses.length; e++) {
            if (!Double.isFinite(losses[e])) {
                return e;
            }
            if (risesAbove(losses[e], losses[0], lowest)) {
                if (!miniBatches || e == losses.length - 1 || !Double.isFinite(losses[e + 1])
                        || risesAbove(losses[e + 1], losses[0], lowest)) {
                    return e;
                }
            }
            lowest = Math.min(lowest, losses[e]);
        }
        return -1;
    }

    @Override
    public void onStart(Network network, int epochs, History.Row initial) {
        this.network = network;
        previous = network.snapshot();
        previousLoss = initial.loss();
        start = lowest = initial.loss();
        if (!Double.isFinite(initial.loss())) {
            notFiniteEpoch = 0;
            beforeNotFinite = previous;
            return;
        }
        recordActivity(0);
    }

    @Override
    public void onEpoch(History.Row e) {
        int epoch = e.epoch();
        if (!Double.isFinite(e.loss())) {
            if (notFiniteEpoch < 0) {
                notFiniteEpoch = epoch;
                beforeNotFinite = previous;
            }
            return;
        }
        if (riseEpoch < 0) {
            boolean rises = risesAbove(e.loss(), start, lowest);
            if (pendingEpoch >= 0) {
                if (rises) {
                    confirm();
                }
                pendingEpoch = -1;
            }
            if (rises && riseEpoch < 0) {
                pendingEpoch = epoch;
                pendingFrom = miniBatches ? lowest : previousLoss;
                pendingTo = e.loss();
                pendingBefore = previous;
                if (!miniBatches) {
                    confirm();
                }
            }
        }
        lowest = Math.min(lowest, e.loss());
        recordActivity(epoch);
        previous = network.snapshot();
        previousLoss = e.loss();
    }

    @Override
    public void onEnd(History history) {
        if (riseEpoch < 0 && pendingEpoch >= 0) {
            confirm(); // a rise at the last epoch is as sustained as the run lets it be
        }
    }

    private void confirm() {
        riseEpoch = pendingEpoch;
        riseFrom = pendingFrom;
        riseTo = pendingTo;
        beforeRise = pendingBefore;
        pendingEpoch = -1;
    }

    private void recordActivity(int epoch) {
        activity(network, watched).forEach((layer, active) -> {
            int[] last = lastActive.computeIfAbsent(layer, k -> {
                int[] never = new int[active.length];
                Arrays.fill(never, -1);
                return never;
            });
            for (int j = 0; j < active.length; j++) {
                if (active[j]) {
                    last[j] = epoch;
                }
            }
        });
    }

    /** For each rectifier layer (ReLU), whether each unit is active (output > 0) on at least one row of x. */
    static Map<Integer, boolean[]> activity(Network network, Matrix x) {
        Map<Integer, boolean[]> result = new LinkedHashMap<>();
        List<Matrix> trace = network.forwardTrace(x);
        List<Layer> layers = network.layers();
        List<dev.descent.layers.Shape> shapes = network.outputShapes();
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof ElementWise e && e.rectifies()) {
                result.put(i, activeUnits(e, trace.get(i), shapes.get(i)));
            }
        }
        return result;
    }

    /**
     * Whether each unit of a rectifier's output y is active on at least one row: each column of y,
     * or, when y holds images of {@code shape} (null for a plain row), each channel ({@link #perChannel}).
     */
    static boolean[] activeUnits(ElementWise rectifier, Matrix y, dev.descent.layers.Shape shape) {
        boolean[] active = active(rectifier, y);
        return shape == null ? active : perChannel(active, shape);
    }

    /**
     * A rectifier on images: whether each channel (a convolution's filter) is active at some
     * position, from whether each of its C·H·W outputs is. A filter is dead when it is dead
     * everywhere: one dead position is only an edge the filter never sees.
     */
    static boolean[] perChannel(boolean[] active, dev.descent.layers.Shape shape) {
        int area = shape.height() * shape.width();
        boolean[] channel = new boolean[shape.channels()];
        for (int j = 0; j < active.length; j++) {
            channel[j / area] |= active[j];
        }
        return channel;
    }

    /** Whether each unit (column of y, a rectifier's output) is active on at least one row. */
    static boolean[] active(ElementWise rectifier, Matrix y) {
        boolean[] active = new boolean[y.cols()];
        for (int r = 0; r < y.rows(); r++) {
            for (int j = 0; j < y.cols(); j++) {
                active[j] |= rectifier.activeAt(y.get(r, j));
            }
        }
        return active;
    }
}
