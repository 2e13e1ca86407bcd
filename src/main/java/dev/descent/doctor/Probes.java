package dev.descent.doctor;

import dev.descent.data.Dataset;
import dev.descent.data.Standardization;
import dev.descent.init.Initializer;
import dev.descent.network.Network;
import dev.descent.recipe.Recipe;
import dev.descent.tensor.Matrix;
import dev.descent.train.History;
import java.util.List;
import java.util.Locale;

/**
 * Short runs from the run's own starting parameters, on the probe data (the training data, or a
 * seeded subsample of it when it is large), with one thing changed: the doctor's way of trying a
 * fix before it recommends one. Every probe of one doctor runs the same number of epochs with the
 * same batches, so their losses compare; the baseline is the same probe with nothing changed.
 */
final class Probes {
    /** A probe is better than another when its loss ends at most this fraction of the other's ... */
    static final double BETTER_LOSS = 0.8;
    /** ... or its accuracy is higher by this much, at no higher a loss. */
    static final double BETTER_ACCURACY = 0.05;

    /**
     * What one probe did.
     *
     * @param killed whether it left a ReLU layer with no live unit
     */
    record Outcome(String label, History history, boolean rose, boolean killed) {
        double endLoss() {
            return history.last().loss();
        }

        double endAccuracy() {
            return history.last().accuracy();
        }

        boolean diverged() {
            return history.diverged() || history.stopReason() != null;
        }

        /** Finite, never a sustained rise, lower at the end than at the start, no dead layer. */
        boolean fell() {
            return !diverged() && !rose && endLoss() < history.first().loss() && !killed;
        }

        /**
         * {@code the loss fell from 2.31 to 0.41 in 5 epochs (accuracy 93.0%)} or what went wrong; no
         * accuracy for regression.
         */
        String describe() {
            if (diverged()) {
                return "the loss stopped being finite at epoch " + history.last().epoch();
            }
            String verb = endLoss() < history.first().loss() ? "fell" : "went";
            return String.format(Locale.ROOT, "the loss %s from %.4g to %.4g in %d epochs%s%s",
                    verb, history.first().loss(), endLoss(), history.last().epoch(), Double.isNaN(endAccuracy()) ? ""
                            : String.format(Locale.ROOT, " (training accuracy %.1f%%)", 100 * endAccuracy()),
                    rose ? ", rising on the way" : killed ? ", killing every unit of a ReLU layer" : "");
        }

        /** {@code 1.912 -> 0.1354 (98.0%)} ({@code 1.912 -> 0.1354} for regression), or {@code diverged}, {@code rose}. */
        String brief() {
            if (diverged()) {
                return "diverged";
            }
            return String.format(Locale.ROOT, "%.4g -> %.4g%s%s", history.first().loss(), endLoss(),
                    Double.isNaN(endAccuracy()) ? "" : String.format(Locale.ROOT, " (%.1f%%)", 100 * endAccuracy()),
                    rose ? ", rose" : killed ? ", killed a ReLU layer" : "");
        }

        /** Whether this probe did clearly better than {@code other}. */
        boolean betterThan(Outcome other) {
            if (diverged() || killed) {
                return false;
            }
            if (other.diverged() || other.killed) {
                return true;
            }
            return endLoss() <= BETTER_LOSS * other.endLoss()
                    || (endAccuracy() >= other.endAccuracy() + BETTER_ACCURACY && endLoss() <= other.endLoss());
        }
    }

    final Network network;
    final List<Matrix> start;
    final Dataset data;
    final Matrix watched;
    final int epochs;
    final boolean miniBatches;
    final Recipe recipe;
    private Outcome baseline;
    private Dataset standardizedData;

    /**
     * @param network the doctor's copy of the network, which every probe starts from {@code start}
     * @param recipe  the run: each probe is its first {@code epochs} epochs, with one thing changed
     */
    Probes(Network network, List<Matrix> start, Dataset data, Matrix watched, int epochs, boolean miniBatches,
            Recipe recipe) {
        this.network = network;
        this.start = start;
        this.data = data;
        this.watched = watched;
        this.epochs = epochs;
        this.miniBatches = miniBatches;
        this.recipe = recipe;
    }

    /** The same probes, each {@code n} epochs long. */
    Probes lasting(int n) {
        if (n == epochs) {
            return this;
        }
        Probes p = new Probes(network, start, data, watched, n, miniBatches, recipe);
        p.standardizedData = standardizedData;
        return p;
    }

    /** A probe of the run at {@code lr} on {@code on}; the network is left at the start. */
    Outcome run(String label, double lr, Dataset on, Matrix watch) {
        return run(label, recipe.withLearningRate(lr), on, watch, start);
    }

    /** A probe of {@code run} on {@code on} from the parameters {@code from}; the network is left at the start. */
    private Outcome run(String label, Recipe run, Dataset on, Matrix watch, List<Matrix> from) {
        network.restore(from);
        History h = run.firstEpochs(on, epochs).fit(network, on);
        boolean rose = Watcher.sustainedRise(h.losses(), miniBatches) >= 0;
        boolean killed = !h.diverged() && deadLayer(network, watch);
        network.restore(start);
        return new Outcome(label, h, rose, killed);
    }

    /** The run as it is, for as long as a probe. */
    Outcome baseline() {
        if (baseline == null) {
            baseline = run("as it is", recipe, data, watched, start);
        }
        return baseline;
    }

    /** The probe data standardised with its own statistics, as --standardize would. */
    Dataset standardized() {
        if (standardizedData == null) {
            Standardization s = Standardization.fit(data.features());
            standardizedData = data.standardized(s).inMemory();
        }
        return standardizedData;
    }

    /** The run as it is on the standardised probe data. */
    Outcome withStandardize() {
        Dataset s = standardized();
        return run("--standardize", recipe, s, s.featureMatrix().rows() > watched.rows() ? watched(s) : s.featureMatrix(),
                start);
    }

    /**
     * The run as it is, but started from {@code init}'s parameters drawn with {@code seed} (as
     * {@code --init} would, with the run's own seed); the network is left at the start.
     */
    Outcome withInit(Initializer init, long seed) {
        network.restore(start);
        init.initialize(network, seed);
        List<Matrix> from = network.snapshot();
        return run("--init " + init, recipe.withInit(init), data, watched, from);
    }

    /** The run as it is, each zeroth-order step averaging {@code n} directions. */
    Outcome withDirections(int n) {
        return run("--directions " + n, recipe.withDirections(n), data, watched, start);
    }

    private Matrix watched(Dataset s) {
        return s.head(watched.rows()).featureMatrix();
    }

    /** Whether a rectifier layer of {@code network} has no unit active on any row of x. */
    static boolean deadLayer(Network network, Matrix x) {
        for (boolean[] active : Watcher.activity(network, x).values()) {
            boolean any = false;
            for (boolean a : active) {
                any |= a;
            }
            if (!any) {
                return true;
            }
        }
        return false;
    }
}
