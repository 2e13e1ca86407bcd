package dev.descent.doctor;

import dev.descent.data.Dataset;
import dev.descent.doctor.Finding.Severity;
import dev.descent.network.Network;
import dev.descent.recipe.Recipe;
import dev.descent.train.TrainingListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Trains while watching, then says what went wrong and what to do, telling a wrong gradient from
 * a step that is too large: from outside both look the same, a loss that goes up.
 *
 * <ul>
 *   <li>Before training: the gradients the run descends along are checked against central
 *       differences on its first samples, so a wrong gradient is named even when the loss still
 *       falls (a user's layer whose parameter gradient has the wrong sign, say).</li>
 *   <li>The loss rose across a step: the gradients the run descends along (its own training
 *       step's, a user's own source or layer included) are checked against central differences
 *       at the parameters before that step. If they disagree the tensor is named (and a flipped sign
 *       called one). If they agree the step was too large, and short probes from the same start,
 *       halving the learning rate each time, find one under which the loss falls.</li>
 *   <li>NaN or infinity: the step is replayed to find the epoch, step, stage and layer or tensor
 *       where it first appeared.</li>
 *   <li>Dead ReLU units, inactive on every training sample: how many per layer and since when; a
 *       layer with none alive leaves the output independent of the input.</li>
 *   <li>Contradictory data: identical inputs with different labels, and the floor and ceiling
 *       they put on the loss and accuracy of any model.</li>
 *   <li>Held-out rows (the validation split, the test set, or, without either, a seeded stratified
 *       part the doctor holds out itself): a generalisation gap, nothing learned, labels unrelated
 *       to the features, a class never recalled.</li>
 *   <li>A step of one's own with plain SGD: one step against θ − lr·g at one θ, so that updates
 *       made while the gradient is still being measured are named though the loss falls.</li>
 * </ul>
 * A fix is printed ({@link Diagnosis#fix()}) only when the user's command with it, probed from the
 * same start, ends clearly better on held-out rows than the run as it is and better than a network
 * that ignores its input ({@code Verification}).
 */
public final class Doctor {
    /**
     * A full-batch probe trains at least this many epochs (or the run's, if fewer); as many as the
     * run's own when the probe's budget of sample passes allows.
     */
    public static final int PROBE_EPOCHS = 20;
    /** With mini-batches, a probe trains at least this many epochs (or the run's, if fewer). */
    public static final int MINI_BATCH_PROBE_EPOCHS = 5;
    /** Probes train on at most this many samples (a seeded subsample of larger data). */
    public static final int PROBE_SAMPLES = 5000;
    /** Unit activity and saturation are watched on at most this many samples. */
    public static final int WATCH_SAMPLES = 1000;
    /** The learning rate is halved at most this many times while probing. */
    public static final int MAX_HALVINGS = 30;
    /** Each gradient check compares at most this many entries per tensor. */
    public static final int CHECK_PER_TENSOR = 200;
    /** The gradient check at the start runs on at most this many samples. */
    public static final int START_CHECK_SAMPLES = 32;
    /** The gradient check after a rise runs on at most this many samples. */
    public static final int RISE_CHECK_SAMPLES = 256;
    /** The loss at initialisation is far off when its mean per sample exceeds 2 ln k + this. */
    public static final double INIT_LOSS_MARGIN = 1;
    /** A run that fell less than this fraction of the way from its start to its floor barely moved. */
    public static final double BARELY_MOVED = 0.01;
    /** Training accuracy within this of the majority baseline, at a loss of at least {@link #IGNORING_INPUT} of the
     * loss of predicting the class frequencies, learned nothing. */
    public static final double BASELINE_MARGIN = 0.01;
    /**
     * A loss of at least this fraction of the loss of predicting the class frequencies (their
     * entropy, ln k only when the classes are balanced) is at the level of a network that ignores
     * its input; the held-out rows' and every probe's judge ({@code Judge}) asks for less.
     */
    public static final double IGNORING_INPUT = 0.9;

    private final Recipe recipe;
    private Dataset validation, test;
    private List<String> featureNames;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private Consumer<Finding> announce = f -> {};

    /**
     * @param recipe the run the user runs, as {@code descent train} would run it: what the doctor
     *               trains while watching, checks, and probes with one thing changed
     *               ({@code recipe.withLearningRate(…)}, {@code recipe.withInit(…)}); its
     *               initialisation is probed only when the recipe draws the parameters
     */
    public Doctor(Recipe recipe) {
        this.recipe = recipe;
    }

    /** A validation set evaluated every epoch, as {@code Trainer#validation} (early stopping needs one). */
    public Doctor validation(Dataset validation) {
        this.validation = validation;
        return this;
    }

    /** A held-out test set, evaluated after training and searched for training rows. */
    public Doctor test(Dataset test) {
        this.test = test;
        return this;
    }

    /** The names of the features, for findings that name columns. */
    public Doctor featureNames(List<String> names) {
        this.featureNames = names;
        return this;
    }

    /** Also watches the run itself (not the probes), as {@code Trainer#listener} would: a live page, say. */
    public Doctor listener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /**
     * Tells {@code announce} each finding the moment it is made: the data's before training, the
     * others as the checks and probes after training reach them. A finding made again with more
     * evidence (a probe's result) is told again, with the same kind. {@link #examine} still returns
     * them all, sorted.
     */
    public Doctor onFinding(Consumer<Finding> announce) {
        this.announce = announce;
        return this;
    }

    /**
     * Trains {@code network} on {@code data} by the recipe while watching, then asks every rule
     * ({@link Rules#ALL}) what it finds. The checks and probes run on a copy of the network; the
     * network ends as that training left it.
     */
    public Diagnosis examine(Network network, Dataset data) {
        Case c = Case.gather(recipe, network, data, validation, test, featureNames, listeners, announce);
        List<Finding> findings = new ArrayList<>(c.dataFindings);
        Verification verified;
        try {
            for (Rules.Rule rule : Rules.ALL) {
                for (Finding f : rule.apply(c, List.copyOf(findings))) {
                    announce.accept(f);
                    replaceOrAdd(findings, f);
                }
            }
            verified = Verification.of(c, findings, fix(findings));
        } finally {
            c.close();
        }
        if (findings.stream().noneMatch(f -> f.severity() == Severity.PROBLEM)) {
            findings.add(0, OutcomeTexts.healthy(c.history));
            announce.accept(findings.get(0));
        }
        findings.sort((a, b) -> a.severity().compareTo(b.severity()));
        return new Diagnosis(findings, c.history, learningRate(verified.fix()), c.notFinite(), verified.fix(),
                c.heldOut, verified.lines());
    }

    /**
     * Adds {@code f}, in place of an earlier finding of its kind (the data's, made again with a
     * probe's evidence; a problem told again with the evidence of a finding it explains), or of a
     * kind it absorbs ({@link Rules#ABSORBS}).
     */
    private static void replaceOrAdd(List<Finding> findings, Finding f) {
        findings.removeIf(old -> Rules.ABSORBS.getOrDefault(f.kind(), Set.of()).contains(old.kind()));
        for (int i = 0; i < findings.size(); i++) {
            if (findings.get(i).kind() == f.kind()) {
                findings.set(i, f);
                return;
            }
        }
        findings.add(f);
    }

    /**
     * The flags of every problem's fix, in order, a later value of a flag replacing an earlier one,
     * a learning rate last.
     */
    private static List<String> fix(List<Finding> findings) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (Finding f : findings) {
            if (f.severity() == Severity.PROBLEM) {
                Rules.flags(f, flags);
            }
        }
        String lr = flags.remove("--lr");
        if (lr != null) {
            flags.put("--lr", lr);
        }
        List<String> out = new ArrayList<>();
        flags.forEach((k, v) -> {
            out.add(k);
            if (v != null) {
                out.add(v);
            }
        });
        return out;
    }

    private static OptionalDouble learningRate(List<String> fix) {
        int at = fix.indexOf("--lr");
        return at < 0 ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(fix.get(at + 1)));
    }

    /** A number as a user would type it, in its shortest exact form: 0.05, 0.048828125. */
    public static String format(double v) {
        return Texts.format(v);
    }
}
