package dev.descent.doctor;

import dev.descent.data.Dataset;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import dev.descent.train.History;
import dev.descent.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Probes for a learning rate that works: from the same starting parameters, halve the rate until
 * a short run has a finite loss that never rises, ends below where it started, and leaves every
 * ReLU layer with a live unit. Keeps every probe's outcome as evidence.
 */
final class LearningRateProbe {
    /** Makes a trainer for a learning rate and a number of epochs. */
    @FunctionalInterface
    interface Trainers {
        Trainer make(double learningRate, int epochs);
    }

    final List<String> outcomes = new ArrayList<>();
    final int epochs;
    OptionalDouble found = OptionalDouble.empty();

    private LearningRateProbe(int epochs) {
        this.epochs = epochs;
    }

    /** Probes below {@code learningRate}; the network is left at {@code start}. */
    static LearningRateProbe run(Network network, List<Matrix> start, Dataset data, double learningRate, int epochs,
            Trainers trainers) {
        LearningRateProbe probe = new LearningRateProbe(epochs);
        double lr = learningRate;
        for (int k = 1; k <= Doctor.MAX_HALVINGS; k++) {
            lr /= 2;
            network.restore(start);
            History h = trainers.make(lr, epochs).fit(network, data);
            String verdict = verdict(h, network, data);
            probe.outcomes.add("lr " + Doctor.format(lr) + " " + verdict);
            if (verdict.startsWith("fell")) {
                probe.found = OptionalDouble.of(lr);
                break;
            }
        }
        network.restore(start);
        return probe;
    }

    private static String verdict(History h, Network network, Dataset data) {
        if (h.stopReason() != null) {
            return "diverged";
        }
        double[] l = h.losses();
        for (int i = 1; i < l.length; i++) {
            if (l[i] > l[i - 1] + Watcher.RISE_TOLERANCE * Math.abs(l[i - 1])) {
                return "rose";
            }
        }
        if (!(l[l.length - 1] < l[0])) {
            return "did not fall";
        }
        for (boolean[] active : Watcher.activity(network, data.featureMatrix()).values()) {
            boolean any = false;
            for (boolean a : active) {
                any |= a;
            }
            if (!any) {
                return "killed every unit of a ReLU layer";
            }
        }
        return String.format(Locale.ROOT, "fell steadily (%.6g -> %.6g)", l[0], l[l.length - 1]);
    }

    /** The outcomes in one line, the middle left out when there are many. */
    String describe() {
        if (outcomes.size() <= 6) {
            return String.join(", ", outcomes);
        }
        return String.join(", ", outcomes.subList(0, 3)) + ", ..., "
                + String.join(", ", outcomes.subList(outcomes.size() - 2, outcomes.size()));
    }

    /** What to do, in words. */
    String suggestion() {
        return found.isPresent()
                ? String.format(Locale.ROOT, "use a learning rate of %s or less", Doctor.format(found.getAsDouble()))
                : "no learning rate down to 2^-" + Doctor.MAX_HALVINGS + " of this one made the loss fall steadily; "
                        + "check the data and the initialisation";
    }
}
