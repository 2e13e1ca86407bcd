package dev.descent.doctor;

import dev.descent.data.Contradictions;
import dev.descent.data.Dataset;
import dev.descent.doctor.Diagnosis.NotFinite;
import dev.descent.gradcheck.GradientCheck;
import dev.descent.gradcheck.GradientCheckReport;
import dev.descent.init.Initializer;
import dev.descent.layers.ElementWise;
import dev.descent.layers.Layer;
import dev.descent.loss.Loss;
import dev.descent.loss.Reduction;
import dev.descent.network.Network;
import dev.descent.recipe.Recipe;
import dev.descent.tensor.Matrix;
import dev.descent.train.History;
import dev.descent.train.Trainer;
import dev.descent.train.TrainingListener;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

/**
 * What the doctor knows about one run, gathered once: the run as it trained (its history, θ at
 * its start and end, what the {@link Watcher} saw), the checks at the start (the gradient check,
 * the first step's figures, saturation), the data and its samples, and the probes, each run at
 * most once and remembered. Every check and probe runs on the doctor's own copy of the network
 * ({@link #at}), never on the one that trained; the rules ({@link Rules}) only read it.
 */
final class Case {
    /** Training sets larger than this are not searched for contradictory rows. */
    static final int CONTRADICTION_LIMIT = 100_000;
    /** Probes are judged on at most this many held-out rows (a seeded sample of more). */
    static final int JUDGE_SAMPLES = 2000;

    final Recipe recipe;
    /** The rows the run trains on (without the doctor's held-out rows), and the probes' subsample of them. */
    final Dataset data, probeData, validation, test;
    /** The run's held-out rows, for the rules: the validation split, else the test set, else the doctor's own. */
    final Judge judge;
    /** What the doctor held out of the training data itself, in one line; null when the user gave held-out data. */
    final String heldOut;
    /** One step of a user's own step or source against θ − lr·g at one θ; null when it does not apply. */
    final StepCheck stepCheck;
    final Loss loss;
    final Matrix watched;
    final boolean miniBatches;
    final List<Matrix> start, end;
    final History history;
    final Watcher watcher;
    final Dataset first;
    final GradientCheckReport startCheck;
    final LayerStats firstStep;
    /** The first step's batch: the figures of {@link #firstStep} are over its samples. */
    final int firstBatch;
    final List<String> saturatedAtStart;
    /** The class counts, or null for regression. */
    final ClassBalance balance;
    final List<Finding> dataFindings;
    final Probes probes;
    private final Network work;
    private Judge.Score heldScore, trainingScore;
    private List<String> standardizeFix;
    private LearningRateProbe scaledRates;
    private Contradictions contradictions;
    private Optional<NotFinite> notFinite;

    private Case(Recipe recipe, Held held, Network work, List<Matrix> start, List<Finding> dataFindings,
            History history, List<Matrix> end, Watcher watcher, Dataset first, GradientCheckReport startCheck,
            StepCheck stepCheck, LayerStats firstStep, int firstBatch, List<String> saturatedAtStart) {
        this.recipe = recipe;
        this.data = held.training;
        this.validation = held.validation;
        this.test = held.test;
        this.heldOut = held.line;
        this.stepCheck = stepCheck;
        this.loss = recipe.loss(data);
        this.work = work;
        this.start = start;
        this.end = end;
        this.dataFindings = dataFindings;
        this.history = history;
        this.watcher = watcher;
        this.first = first;
        this.startCheck = startCheck;
        this.firstStep = firstStep;
        this.firstBatch = firstBatch;
        this.saturatedAtStart = saturatedAtStart;
        this.miniBatches = recipe.batch() < data.size();
        this.probeData = sample(data, Doctor.PROBE_SAMPLES);
        this.watched = watcher.watched();
        this.balance = data.isRegression() ? null : ClassBalance.of(data);
        Dataset judged = held.judged();
        this.judge = judged == null ? Judge.of(data, "training", loss, data)
                : Judge.of(judged, held.which(), recipe.loss(judged), data);
        Judge probeJudge = judged == null ? Judge.of(probeData, "training", loss, data)
                : Judge.of(sample(judged, JUDGE_SAMPLES), held.which(), recipe.loss(judged), data);
        this.probes = new Probes(work, start, probeData, probeJudge, watched,
                Probes.epochs(recipe, probeData.size(), miniBatches), miniBatches, recipe);
    }

    /**
     * The rows the run trains on and is judged on: the user's validation split or test set, or,
     * without either, a part the doctor holds out itself ({@link HoldOut}).
     *
     * @param line what the doctor held out, in one line, or null
     */
    record Held(Dataset training, Dataset validation, Dataset test, String line) {
        static Held of(Dataset data, Dataset validation, Dataset test, long seed) {
            HoldOut own = validation == null && test == null ? HoldOut.of(data, seed) : null;
            if (own == null) {
                return new Held(data, validation, test, null);
            }
            // small data is held as one matrix (as the doctor holds it); larger data stays a view of its rows
            return small(data) ? new Held(own.training().inMemory(), own.held().inMemory(), null, own.describe(seed))
                    : new Held(own.training(), own.held(), null, own.describe(seed));
        }

        Dataset judged() {
            return validation != null ? validation : test;
        }

        String which() {
            return line != null ? "held-out" : validation != null ? "validation" : "test";
        }
    }

    /**
     * Checks {@code network} at its starting parameters, trains it by {@code recipe} on
     * {@code dataset} while watching (and while {@code listeners} watch), and gathers what the
     * rules need. The data's own findings are told to {@code announce} before training starts.
     * The network ends as that training left it.
     */
    static Case gather(Recipe recipe, Network network, Dataset dataset, Dataset validation, Dataset test,
            List<String> featureNames, List<TrainingListener> listeners, Consumer<Finding> announce) {
        // Small data is what the doctor is for: hold it as one matrix, read many times (a regression
        // set keeps its targets: its labels are rows of them).
        Dataset all = small(dataset) ? dataset.inMemory() : dataset;
        Held held = Held.of(all, validation, test, recipe.seed());
        Dataset data = held.training();
        List<Matrix> start = network.snapshot();
        Network work = copyOf(network);
        List<Finding> dataFindings = DataChecks.of(all, test, featureNames);
        dataFindings.forEach(announce);
        Loss loss = recipe.loss(data);
        Dataset first = data.head(Math.min(data.size(), Doctor.START_CHECK_SAMPLES));
        GradientCheckReport startCheck = check(recipe, work, loss, first);
        StepCheck stepCheck = startCheck.passed() || startCheck.moved() != null ? StepCheck.of(recipe, work, loss, first)
                : null;
        work.restore(start);
        Dataset firstBatch = data.head(Math.min(data.size(), Math.min(recipe.batch(), Doctor.PROBE_SAMPLES)));
        LayerStats firstStep = LayerStats.firstStep(work, recipe.step().gradients(), loss, recipe.newOptimizer(),
                firstBatch.featureMatrix(), firstBatch.labels());
        Matrix watched = sample(data, Doctor.WATCH_SAMPLES).featureMatrix();
        List<String> saturatedAtStart = LayerStats.saturated(work, watched, 0.5);
        Watcher watcher = new Watcher(watched, recipe.batch() < data.size());
        Trainer run = recipe.trainer(data, held.validation()).listener(watcher);
        listeners.forEach(run::listener);
        History history = run.fit(network, data);
        return new Case(recipe, held, work, start, dataFindings, history, network.snapshot(), watcher, first,
                startCheck, stepCheck, firstStep, firstBatch.size(), saturatedAtStart);
    }

    /**
     * A case of a run that went as {@code history} says, without training: the checks at the start
     * are made on {@code network} as it is, and the watcher sees the history's rows. For a rule
     * tested on a history of one's own.
     */
    static Case of(Recipe recipe, Network network, Dataset data, History history) {
        List<Matrix> start = network.snapshot();
        Loss loss = recipe.loss(data);
        Dataset first = data.head(Math.min(data.size(), Doctor.START_CHECK_SAMPLES));
        GradientCheckReport startCheck = check(recipe, network, loss, first);
        network.restore(start);
        Dataset firstBatch = data.head(Math.min(data.size(), Math.min(recipe.batch(), Doctor.PROBE_SAMPLES)));
        LayerStats firstStep = LayerStats.firstStep(network, recipe.step().gradients(), loss, recipe.newOptimizer(),
                firstBatch.featureMatrix(), firstBatch.labels());
        Matrix watched = sample(data, Doctor.WATCH_SAMPLES).featureMatrix();
        Watcher watcher = new Watcher(watched, recipe.batch() < data.size());
        watcher.onStart(network, recipe.epochs(), history.first());
        history.rows().stream().skip(1).forEach(watcher::onEpoch);
        watcher.onEnd(history);
        return new Case(recipe, new Held(data, null, null, null), network, start, DataChecks.of(data, null, null),
                history, start, watcher, first, startCheck, null, firstStep, firstBatch.size(),
                LayerStats.saturated(network, watched, 0.5));
    }


    /**
     * A copy of the network for the doctor's checks and probes; the network itself when a layer of
     * one's own cannot be copied (its parameters are then put back as training left them).
     */
    private static Network copyOf(Network network) {
        try {
            return network.copy();
        } catch (UnsupportedOperationException e) {
            return network;
        }
    }

    /** The doctor's network holding {@code theta}. */
    Network at(List<Matrix> theta) {
        work.restore(theta);
        return work;
    }

    /** Leaves the network that trained as training left it, if the doctor had to examine it in place. */
    void close() {
        work.restore(end);
    }

    /** The run's own gradients against central differences on {@code on}, at the network's current parameters. */
    private static GradientCheckReport check(Recipe recipe, Network network, Loss loss, Dataset on) {
        return new GradientCheck(GradientCheck.DEFAULT_H, GradientCheck.DEFAULT_RTOL, GradientCheck.DEFAULT_ATOL,
                Doctor.CHECK_PER_TENSOR).check(recipe.step().gradients().forChecking(), network, loss,
                on.featureMatrix(), on.labels());
    }

    /** The check of the run's gradients on {@code on} at {@code theta}. */
    GradientCheckReport check(List<Matrix> theta, Dataset on) {
        return check(recipe, at(theta), loss, on);
    }

    /** A loss that sums makes the first step's figures per batch; this divides them to per sample. */
    double perSample() {
        return loss.reduction() == Reduction.SUM ? firstBatch : 1;
    }

    boolean rose() {
        return watcher.riseEpoch >= 0;
    }

    /** The probe of the run with --standardize from the same start. */
    Probes.Outcome standardized() {
        return probes.with(List.of("--standardize"));
    }

    /** Whether the features are far off scale. */
    boolean unscaled() {
        return dataFindings.stream().anyMatch(f -> f.kind() == Finding.Kind.FEATURE_SCALE);
    }

    /** Whether the data's features are far off scale and --standardize works (with a rate that suits it, if need be). */
    boolean standardizeHelps() {
        return standardizeFix() != null;
    }

    /**
     * The fix of far-off features that works in its probe: --standardize alone, or with the rate
     * that suits standardised inputs when the run's does not (halved while the probe diverges or
     * kills a layer, tenfold while it stays alive but learns too slowly); null when the features
     * are not far off or nothing works. Probed once.
     */
    List<String> standardizeFix() {
        if (standardizeFix == null) {
            standardizeFix = List.of();
            if (unscaled()) {
                Probes.Outcome alone = standardized();
                if (probes.works(alone)) {
                    standardizeFix = alone.flags();
                } else {
                    scaledRates = alone.diverged() || alone.killed()
                            ? LearningRateProbe.down(probes, List.of("--standardize"), recipe.learningRate())
                            : LearningRateProbe.up(probes, List.of("--standardize"), recipe.learningRate());
                    standardizeFix = scaledRates.found.isPresent() ? scaledRates.fix() : List.of();
                }
            }
        }
        return standardizeFix.isEmpty() ? null : standardizeFix;
    }

    /** The rates probed beside --standardize when it did not work alone; null otherwise. */
    LearningRateProbe scaledRates() {
        standardizeFix();
        return scaledRates;
    }

    /**
     * The initialisation suited to the network's activations (he with a rectifier, else xavier),
     * or null when the run already draws it or its parameters are given.
     */
    Initializer suitedInit() {
        if (recipe.init() == null) {
            return null;
        }
        Initializer suited = rectifies() ? Initializer.HE : Initializer.XAVIER;
        return suited == recipe.init() ? null : suited;
    }

    /** Whether the network has a rectifier (ReLU) layer. */
    boolean rectifies() {
        return at(start).layers().stream().anyMatch(Case::rectifies);
    }

    private static boolean rectifies(Layer l) {
        return l instanceof ElementWise e && e.rectifies();
    }

    /** The probe of the run started from {@link #suitedInit()} with the run's seed; null without one. */
    Probes.Outcome initProbe() {
        Initializer suited = suitedInit();
        return suited == null ? null : probes.with(List.of("--init", suited.toString()));
    }

    /** Whether the gradients explode at the start and the suited initialisation works in its probe. */
    boolean initHelps() {
        Probes.Outcome byInit = firstStep.exploding(perSample()).isEmpty() ? null : initProbe();
        return byInit != null && probes.works(byInit);
    }

    /** Whether the gradients at the start still explode with the features standardised (the probe data's first batch). */
    boolean explodesStandardized() {
        Dataset s = probes.standardized();
        Dataset batch = s.head(Math.min(s.size(), firstBatch));
        LayerStats stats = LayerStats.firstStep(at(start), recipe.step().gradients(), loss, recipe.newOptimizer(),
                batch.featureMatrix(), batch.labels());
        return !stats.exploding(perSample()).isEmpty();
    }

    /** Whether the network ended with a whole ReLU layer dead on the watched samples. */
    boolean deadAtEnd() {
        return Probes.deadLayer(at(end), watched);
    }

    /** The final network's score on (a sample of at most {@link Doctor#PROBE_SAMPLES} of) its training rows. */
    Judge.Score trainingScore() {
        if (trainingScore == null) {
            trainingScore = Judge.of(probeData, "training", loss, data).score(at(end));
        }
        return trainingScore;
    }

    /** The final network's score on the held-out rows (on the training rows without them), once. */
    Judge.Score heldScore() {
        if (heldScore == null) {
            heldScore = judge.score(at(end));
        }
        return heldScore;
    }

    /**
     * Where NaN or infinity first appeared, when the loss stopped being finite: the step replayed
     * stage by stage (on the training data when small, else on the probe sample), once.
     */
    Optional<NotFinite> notFinite() {
        if (notFinite == null) {
            notFinite = watcher.notFiniteEpoch < 0 ? Optional.empty()
                    : Optional.of(new NotFiniteLocator(recipe.step().gradients(), loss, recipe.newOptimizer())
                            .locate(work, watcher, start, small(data) ? data : probeData));
        }
        return notFinite;
    }

    /** Identical inputs with different labels, found once; null for data too large to search. */
    Contradictions contradictions() {
        if (contradictions == null && data.size() <= CONTRADICTION_LIMIT) {
            contradictions = Contradictions.of(data);
        }
        return contradictions;
    }

    private static boolean small(Dataset d) {
        return (long) d.size() * d.featureCount() <= 4_000_000L;
    }

    /** The first n rows when there are at most n, else a seeded random n of them (in their order), in memory. */
    private static Dataset sample(Dataset data, int n) {
        if (data.size() <= n) {
            return data;
        }
        int[] rows = Arrays.copyOf(Dataset.shuffled(data.size(), new Random(17)), n);
        Arrays.sort(rows);
        return data.select(rows, data.description() + ", a sample of " + n).inMemory();
    }
}
