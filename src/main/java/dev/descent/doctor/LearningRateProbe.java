package dev.descent.doctor;

import dev.descent.data.Dataset;
import dev.descent.tensor.Matrix;
import dev.descent.train.History;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Probes for a learning rate that works. Down: from the same starting parameters, halve the rate
 * until a short run has a finite loss that does not rise (full batch: at no step; mini-batches: no
 * sustained rise), ends below where it started, and leaves every ReLU layer with a live unit. Up:
 * multiply it by 10 while the probes still fall, and keep the one that ends lowest. Keeps every
 * probe's outcome as evidence.
 */
final class LearningRateProbe {
    /** Growing the rate stops after this many tenfold steps. */
    static final int MAX_GROWTHS = 6;
    /** Growing picks the smallest rate whose loss is within this fraction of the best probe's gain. */
    static final double GAIN_KEPT_BACK = 0.25;

    final List<String> outcomes = new ArrayList<>();
    final int epochs;
    OptionalDouble found = OptionalDouble.empty();
    Probes.Outcome best;

    private LearningRateProbe(int epochs) {
        this.epochs = epochs;
    }

    /** Probes below {@code learningRate} on {@code data}; the network is left at the start. */
    static LearningRateProbe down(Probes probes, Dataset data, Matrix watched, double learningRate) {
        LearningRateProbe probe = new LearningRateProbe(probes.epochs);
        double lr = learningRate;
        for (int k = 1; k <= Doctor.MAX_HALVINGS; k++) {
            lr /= 2;
            Probes.Outcome o = probes.run("lr " + Doctor.format(lr), lr, data, watched);
            String verdict = verdict(o, probes.miniBatches);
            probe.outcomes.add("lr " + Doctor.format(lr) + " " + verdict);
            if (verdict.startsWith("fell")) {
                probe.found = OptionalDouble.of(lr);
                probe.best = o;
                break;
            }
        }
        return probe;
    }

    /**
     * Probes above {@code learningRate}, tenfold each time, until a probe rises or diverges; the
     * found rate is the one that ended lowest, when it ended clearly lower than {@code baseline}.
     */
    static LearningRateProbe up(Probes probes, Dataset data, Matrix watched, double learningRate,
            Probes.Outcome baseline) {
        LearningRateProbe probe = new LearningRateProbe(probes.epochs);
        List<Probes.Outcome> better = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        for (int k = 1; k <= MAX_GROWTHS; k++) {
            double lr = Double.parseDouble(String.format(Locale.ROOT, "%.6g", learningRate * Math.pow(10, k)));
            Probes.Outcome o = probes.run("lr " + Doctor.format(lr), lr, data, watched);
            probe.outcomes.add("lr " + Doctor.format(lr) + " " + o.brief());
            if (!o.fell()) {
                break;
            }
            if (o.betterThan(baseline)) {
                better.add(o);
                rates.add(lr);
            }
        }
        // The smallest rate that gets most of the way the best one got: large rates that only just fell
        // in a short probe are the least safe over a whole run.
        double lowest = better.stream().mapToDouble(Probes.Outcome::endLoss).min().orElse(Double.NaN);
        for (int i = 0; i < better.size(); i++) {
            if (better.get(i).endLoss() <= lowest + GAIN_KEPT_BACK * (baseline.endLoss() - lowest)) {
                probe.best = better.get(i);
                probe.found = OptionalDouble.of(rates.get(i));
                break;
            }
        }
        return probe;
    }

    private static String verdict(Probes.Outcome o, boolean miniBatches) {
        History h = o.history();
        if (o.diverged()) {
            return "diverged";
        }
        double[] l = h.losses();
        if (miniBatches) {
            if (o.rose()) {
                return "rose";
            }
        } else {
            for (int i = 1; i < l.length; i++) {
                if (l[i] > l[i - 1] + Watcher.RISE_TOLERANCE * Math.abs(l[i - 1])) {
                    return "rose";
                }
            }
        }
        if (!(l[l.length - 1] < l[0])) {
            return "did not fall";
        }
        if (o.killed()) {
            return "killed every unit of a ReLU layer";
        }
        return String.format(Locale.ROOT, "fell %s(%.6g -> %.6g)", miniBatches ? "" : "steadily ", l[0],
                l[l.length - 1]);
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
