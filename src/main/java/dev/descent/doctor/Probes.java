package dev.descent.doctor;

import dev.descent.data.Dataset;
import dev.descent.data.Standardization;
import dev.descent.init.Initializer;
import dev.descent.network.Network;
import dev.descent.recipe.Recipe;
import dev.descent.tensor.Matrix;
import dev.descent.train.History;
import dev.descent.train.Trainer;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs of the user's command with a fix applied, from the run's own starting parameters, on the
 * probe data (the training data, or a seeded subsample when it is large), long enough to judge:
 * the run's own epochs, or as many as {@link #PASSES} sample passes allow. A probe is named by the
 * flags it adds ({@code --lr 0.3125}, {@code --standardize}); the same flags are probed once.
 * Every probe is judged by one rule ({@link #works}), on held-out rows, by where it ends: a bump on
 * the way is not a failure.
 */
final class Probes {
    /** A probe is better than another when its held-out loss ends at most this fraction of the other's ... */
    static final double BETTER_LOSS = 0.8;
    /** ... or its held-out accuracy is higher by this much, at no higher a loss. */
    static final double BETTER_ACCURACY = 0.05;
    /** A fall of the held-out loss smaller than this fraction of the class-frequency loss is no improvement. */
    static final double MATTERS = 0.02;
    /** A probe trains at most this many sample passes (epochs times samples), and at least the epochs below. */
    static final int PASSES = 100_000;

    /**
     * What one probe did.
     *
     * @param flags   the flags it added to the user's command
     * @param score   where it ended on the judged rows
     * @param rose    whether its loss rose on the way (a sustained rise): told, not held against it
     * @param killed  whether it ended with a ReLU layer with no live unit
     */
    record Outcome(List<String> flags, History history, Judge.Score score, boolean rose, boolean killed) {
        String label() {
            return flags.isEmpty() ? "as it is" : "with " + String.join(" ", flags);
        }

        double endLoss() {
            return history.last().loss();
        }

        boolean diverged() {
            return history.diverged() || !Double.isFinite(score.loss());
        }

        /**
         * Clearly better than {@code other} where both end on the judged rows, by a loss at most
         * {@link #BETTER_LOSS} of its and lower by more than {@code matters} at an accuracy no more
         * than {@link #BETTER_ACCURACY} lower, or by an accuracy higher by {@link #BETTER_ACCURACY}
         * at no higher a loss; never when it diverged or killed a layer.
         *
         * @param matters the smallest fall of the loss per sample worth a change: near zero, a ratio means nothing
         */
        boolean betterThan(Outcome other, double matters) {
            if (diverged() || killed) {
                return false;
            }
            if (other.diverged() || other.killed) {
                return true;
            }
            Judge.Score a = score, b = other.score;
            boolean noLessAccurate = Double.isNaN(a.accuracy()) || a.accuracy() >= b.accuracy() - BETTER_ACCURACY;
            return (a.loss() <= BETTER_LOSS * b.loss() && b.loss() - a.loss() > matters && noLessAccurate)
                    || (a.accuracy() >= b.accuracy() + BETTER_ACCURACY && a.loss() <= b.loss());
        }
    }

    final Network network;
    final List<Matrix> start;
    final Dataset data;
    final Judge judge;
    final Matrix watched;
    final int epochs;
    final boolean miniBatches;
    final Recipe recipe;
    private final Map<List<String>, Outcome> done = new HashMap<>();
    private Dataset standardizedData;
    private Judge standardizedJudge;

    /**
     * @param network the doctor's copy of the network, which every probe starts from {@code start}
     * @param judge   the held-out rows every probe is judged on (the probe data itself when there are none)
     * @param recipe  the run: each probe is its first {@code epochs} epochs, with the fix applied
     */
    Probes(Network network, List<Matrix> start, Dataset data, Judge judge, Matrix watched, int epochs,
            boolean miniBatches, Recipe recipe) {
        this.network = network;
        this.start = start;
        this.data = data;
        this.judge = judge;
        this.watched = watched;
        this.epochs = epochs;
        this.miniBatches = miniBatches;
        this.recipe = recipe;
    }

    /** The epochs of a probe of {@code recipe} on {@code samples} rows: its own, as far as {@link #PASSES} allow. */
    static int epochs(Recipe recipe, int samples, boolean miniBatches) {
        return Math.min(recipe.epochs(), most(samples, miniBatches));
    }

    /** The most epochs a probe on {@code samples} rows trains: {@link #PASSES} sample passes, and at least a few. */
    static int most(int samples, boolean miniBatches) {
        int least = miniBatches ? Doctor.MINI_BATCH_PROBE_EPOCHS : Doctor.PROBE_EPOCHS;
        return Math.max(least, PASSES / Math.max(1, samples));
    }

    /** Every probe run so far, in no particular order. */
    List<Outcome> done() {
        return List.copyOf(done.values());
    }

    /** The run as it is. */
    Outcome baseline() {
        return with(List.of());
    }

    /** The run with {@code flags} added to its command, probed once. */
    Outcome with(List<String> flags) {
        Outcome o = done.get(flags);
        if (o == null) {
            o = probe(List.copyOf(flags));
            done.put(List.copyOf(flags), o);
        }
        return o;
    }

    /**
     * The one rule: a probe works when it ends finite, with every ReLU layer alive, having learned on
     * the judged rows (better than the majority class and the class frequencies), and clearly better
     * there than the run as it is.
     */
    boolean works(Outcome o) {
        return learned(o) && o.betterThan(baseline(), MATTERS * judge.frequencyLoss);
    }

    /** Finite, every ReLU layer alive, and better on the judged rows than a network that ignores its input. */
    boolean learned(Outcome o) {
        return !o.diverged() && !o.killed() && judge.learned(o.score());
    }

    private Outcome probe(List<String> flags) {
        Recipe run = recipe;
        Dataset on = data;
        Judge by = judge;
        Matrix watch = watched;
        List<Matrix> from = start;
        for (int i = 0; i < flags.size(); i++) {
            String flag = flags.get(i);
            String value = i + 1 < flags.size() ? flags.get(i + 1) : null;
            switch (flag) {
                case "--standardize" -> {
                    on = standardized();
                    by = standardizedJudge;
                    watch = on.head(watched.rows()).featureMatrix();
                    continue;
                }
                case "--lr" -> run = run.withLearningRate(Double.parseDouble(value));
                case "--init" -> {
                    run = run.withInit(Initializer.parse(value));
                    from = drawn(run.init());
                }
                case "--optimizer" -> run = run.withOptimizer(value);
                case "--weight-decay" -> run = run.withWeightDecay(Double.parseDouble(value));
                case "--epochs" -> run = run.withEpochs(Integer.parseInt(value));
                case "--patience" -> run = run.withPatience(Integer.parseInt(value));
                case "--directions" -> run = run.withDirections(Integer.parseInt(value));
                default -> throw new IllegalArgumentException("the doctor does not probe " + flag);
            }
            i++;
        }
        return train(flags, run, on, by, watch, from);
    }

    private Outcome train(List<String> flags, Recipe run, Dataset on, Judge by, Matrix watch, List<Matrix> from) {
        network.restore(from);
        // the run's own epochs as the probes take them; a fix that sets the epochs, as far as the budget allows
        int n = run.epochs() == recipe.epochs() ? epochs : Math.min(run.epochs(), most(on.size(), miniBatches));
        Trainer t = run.firstEpochs(on, n);
        if (run.patience() > 0) {
            t.validation(by.held).patience(run.patience());
        }
        History h = t.fit(network, on);
        boolean rose = Watcher.sustainedRise(h.losses(), miniBatches) >= 0;
        boolean killed = !h.diverged() && deadLayer(network, watch);
        Judge.Score score = h.diverged() ? new Judge.Score(Double.NaN, Double.NaN) : by.score(network);
        network.restore(start);
        return new Outcome(flags, h, score, rose, killed);
    }

    /** The parameters {@code init} draws with the run's seed, as --init would. */
    private List<Matrix> drawn(Initializer init) {
        network.restore(start);
        init.initialize(network, recipe.seed());
        List<Matrix> from = network.snapshot();
        network.restore(start);
        return from;
    }

    /** The probe data standardised with its own statistics, as --standardize would; the judged rows with them too. */
    Dataset standardized() {
        if (standardizedData == null) {
            Standardization s = Standardization.fit(data.features());
            standardizedData = data.standardized(s).inMemory();
            standardizedJudge = judge.standardized(s);
        }
        return standardizedData;
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

    /**
     * {@code the loss went from 2.31 to 0.41 in 10 epochs; held-out accuracy 93.0%, loss 0.4 per
     * sample}, with what went wrong on the way or at the end.
     */
    String describe(Outcome o) {
        if (o.diverged()) {
            return "the loss stopped being finite at epoch " + o.history().last().epoch();
        }
        History h = o.history();
        return String.format(Locale.ROOT, "the loss went from %.4g to %.4g in %d epochs%s; %s%s", h.first().loss(),
                o.endLoss(), h.last().epoch(), o.rose() ? ", rising on the way" : "", judgeOf(o).describe(o.score()),
                o.killed() ? ", with every unit of a ReLU layer dead" : "");
    }

    /** {@code held-out 71.4%, 1.019} in brief, with {@code killed a ReLU layer} or {@code diverged}. */
    String brief(Outcome o) {
        if (o.diverged()) {
            return "diverged";
        }
        Judge.Score s = o.score();
        String where = judge.regression() ? String.format(Locale.ROOT, "%s loss %.4g", judge.which, s.loss())
                : String.format(Locale.ROOT, "%s %.1f%%, loss %.4g", judge.which, 100 * s.accuracy(), s.loss());
        return where + (o.killed() ? ", killed a ReLU layer" : "");
    }

    private Judge judgeOf(Outcome o) {
        return o.flags().contains("--standardize") ? standardizedJudge : judge;
    }
}
