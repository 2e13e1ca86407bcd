package dev.descent.doctor;

import dev.descent.data.Dataset;
import dev.descent.layers.Activation;
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
 * Watches a training run for the doctor: the first step across which the loss rose, the first
 * NaN or infinity, and the last epoch each ReLU unit was active on any training sample. Keeps the
 * parameters from before the step of interest so the doctor can replay it.
 */
final class Watcher implements TrainingListener {
    /** A rise smaller than this, relative to the loss, is rounding, not a rise. */
    static final double RISE_TOLERANCE = 1e-12;

    private final Dataset data;
    private Network network;
    private List<Matrix> previous;
    private double previousLoss;

    int riseEpoch = -1;
    double riseFrom, riseTo;
    List<Matrix> beforeRise;

    int notFiniteEpoch = -1;
    List<Matrix> beforeNotFinite;

    /** For each ReLU layer (by index in the network), the last epoch each unit was active; -1 for never. */
    final Map<Integer, int[]> lastActive = new LinkedHashMap<>();

    Watcher(Dataset data) {
        this.data = data;
    }

    @Override
    public void onStart(Network network, int epochs, History.Row initial) {
        this.network = network;
        previous = network.snapshot();
        previousLoss = initial.loss();
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
        if (riseEpoch < 0 && e.loss() > previousLoss + RISE_TOLERANCE * Math.abs(previousLoss)) {
            riseEpoch = epoch;
            riseFrom = previousLoss;
            riseTo = e.loss();
            beforeRise = previous;
        }
        recordActivity(epoch);
        previous = network.snapshot();
        previousLoss = e.loss();
    }

    private void recordActivity(int epoch) {
        activity(network, data.featureMatrix()).forEach((layer, active) -> {
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

    /** For each ReLU layer, whether each unit is active (output > 0) on at least one row of x. */
    static Map<Integer, boolean[]> activity(Network network, Matrix x) {
        Map<Integer, boolean[]> result = new LinkedHashMap<>();
        List<Matrix> trace = network.forwardTrace(x);
        List<Layer> layers = network.layers();
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof Activation.Relu) {
                Matrix y = trace.get(i);
                boolean[] active = new boolean[y.cols()];
                for (int r = 0; r < y.rows(); r++) {
                    for (int j = 0; j < y.cols(); j++) {
                        active[j] |= y.get(r, j) > 0;
                    }
                }
                result.put(i, active);
            }
        }
        return result;
    }
}
