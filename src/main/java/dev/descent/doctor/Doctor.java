package dev.descent.doctor;

import dev.descent.data.Contradictions;
import dev.descent.data.Dataset;
import dev.descent.doctor.Diagnosis.NotFinite;
import dev.descent.doctor.Finding.Kind;
import dev.descent.doctor.Finding.Severity;
import dev.descent.gradcheck.GradientCheck;
import dev.descent.gradcheck.GradientCheckReport;
import dev.descent.gradcheck.NonRepeatable;
import dev.descent.init.Initializer;
import dev.descent.loss.Loss;
import dev.descent.loss.MeanSquaredError;
import dev.descent.loss.RegressionLoss;
import dev.descent.network.Network;
import dev.descent.optim.LearningRateSchedule;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Matrix;
import dev.descent.train.History;
import dev.descent.train.Trainer;
import dev.descent.train.TrainingStep;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.DoubleFunction;

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
 * </ul>
 */
public final class Doctor {
    /** Each learning-rate probe trains at most this many epochs (full batch). */
    public static final int PROBE_EPOCHS = 20;
    /** With mini-batches, each probe trains at most this many epochs. */
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
    public static final double IGNORING_INPUT = 0.9;

    private final TrainingStep step;
    private final Loss loss;
    private final DoubleFunction<Optimizer> optimizer;
    private final double learningRate;
    private final int epochs;
    private int batch = Trainer.FULL_BATCH;
    private long shuffleSeed;
    private Dataset validation, test;
    private int patience;
    private List<String> featureNames;
    private LearningRateSchedule schedule;
    private final List<dev.descent.train.TrainingListener> listeners = new ArrayList<>();
    private java.util.function.Consumer<Finding> announce = f -> {};
    private Initializer init;
    private long initSeed;

    /**
     * @param step      how the run computes each step, as it trains: what the doctor watches and checks
     * @param optimizer makes the optimizer for a learning rate (the probes need several)
     */
    public Doctor(TrainingStep step, Loss loss, DoubleFunction<Optimizer> optimizer, double learningRate,
            int epochs) {
        this.step = step;
        this.loss = loss;
        this.optimizer = optimizer;
        this.learningRate = learningRate;
        this.epochs = epochs;
    }

    /** Mini-batches of this many samples, as {@link Trainer#batchSize}. */
    public Doctor batchSize(int size) {
        this.batch = size;
        return this;
    }

    /** The seed of the mini-batch order, as {@link Trainer#shuffleSeed}. */
    public Doctor shuffleSeed(long seed) {
        this.shuffleSeed = seed;
        return this;
    }

    /** A validation set evaluated every epoch, as {@link Trainer#validation}. */
    public Doctor validation(Dataset validation) {
        this.validation = validation;
        return this;
    }

    /** Early stopping, as {@link Trainer#patience}. */
    public Doctor patience(int epochs) {
        this.patience = epochs;
        return this;
    }

    /** A held-out test set, evaluated after training and searched for training rows. */
    public Doctor test(Dataset test) {
        this.test = test;
        return this;
    }

    /**
     * The run's learning-rate schedule, as {@link Trainer#schedule}; a probe at another rate takes
     * the same schedule from that rate.
     */
    public Doctor schedule(LearningRateSchedule schedule) {
        this.schedule = schedule;
        return this;
    }

    /**
     * How the run's parameters were drawn ({@code --init} and {@code --seed}), so that probes can
     * try another initialisation from the same seed; without it no initialisation is probed.
     */
    public Doctor initialization(Initializer init, long seed) {
        this.init = init;
        this.initSeed = seed;
        return this;
    }

    /** The initialisation suited to the network's activations (he with ReLU, else xavier), or null when the run has it or none is known. */
    private Initializer suitedInit(Network network) {
        if (init == null) {
            return null;
        }
        boolean relu = network.layers().stream().anyMatch(l -> l instanceof dev.descent.layers.Activation.Relu);
        Initializer suited = relu ? Initializer.HE : Initializer.XAVIER;
        return suited == init ? null : suited;
    }

    /** The names of the features, for findings that name columns. */
    public Doctor featureNames(List<String> names) {
        this.featureNames = names;
        return this;
    }

    /** Also watches the run itself (not the probes), as {@link Trainer#listener} would: a live page, say. */
    public Doctor listener(dev.descent.train.TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /**
     * Tells {@code announce} each finding the moment it is made: the data's before training, the
     * others as the checks and probes after training reach them. A finding made again with more
     * evidence (a probe's result) is told again, with the same kind. {@link #examine} still returns
     * them all, sorted.
     */
    public Doctor onFinding(java.util.function.Consumer<Finding> announce) {
        this.announce = announce;
        return this;
    }

    private Trainer trainer(double lr, int n) {
        Trainer t = new Trainer(step, loss, optimizer.apply(lr), n).batchSize(batch).shuffleSeed(shuffleSeed);
        if (schedule != null && !schedule.isConstant()) {
            t.schedule(new LearningRateSchedule(schedule.kind(), lr, schedule.epochs(), schedule.warmup(),
                    schedule.stepSize(), schedule.gamma()));
        }
        return t;
    }

    private Trainer run() {
        Trainer t = trainer(learningRate, epochs);
        if (validation != null) {
            t.validation(validation);
        }
        if (patience > 0) {
            t.patience(patience);
        }
        listeners.forEach(t::listener);
        return t;
    }

    /** Trains {@code network} on {@code data} while watching; the network ends as that training left it. */
    public Diagnosis examine(Network network, Dataset dataset) {
        // Small data is what the doctor is for: hold it as one matrix, read many times (a regression
        // set keeps its targets: its labels are rows of them).
        Dataset data = small(dataset) ? dataset.inMemory() : dataset;
        List<Matrix> start = network.snapshot();
        boolean mini = batch < data.size();
        Dataset probeData = sample(data, PROBE_SAMPLES);
        Matrix watched = sample(data, WATCH_SAMPLES).featureMatrix();
        Probes probes = new Probes(network, start, probeData, watched,
                Math.min(epochs, mini ? MINI_BATCH_PROBE_EPOCHS : PROBE_EPOCHS), mini, learningRate, this::trainer);

        List<Finding> findings = new Announced(announce);
        findings.addAll(DataChecks.of(data, test, featureNames));
        ClassBalance balance = data.isRegression() ? null : ClassBalance.of(data); // regression: no classes
        Dataset first = data.head(Math.min(data.size(), START_CHECK_SAMPLES));
        GradientCheckReport startCheck = check(network, first);
        Dataset firstBatch = data.head(Math.min(data.size(), Math.min(batch, PROBE_SAMPLES)));
        LayerStats firstStep = LayerStats.firstStep(network, step.gradients(), loss, optimizer.apply(learningRate),
                firstBatch.featureMatrix(), firstBatch.labels());
        List<String> saturatedAtStart = LayerStats.saturated(network, watched, 0.5);
        Watcher watcher = new Watcher(watched, mini);
        History history = run().listener(watcher).fit(network, data);
        List<Matrix> end = network.snapshot();

        OptionalDouble suggested = OptionalDouble.empty();
        Optional<NotFinite> notFinite = Optional.empty();

        boolean standardizeHelps = false;
        Probes.Outcome standardized = null;
        int scaleAt = indexOf(findings, Kind.FEATURE_SCALE);
        if (scaleAt >= 0) {
            standardized = probes.withStandardize(learningRate);
            standardizeHelps = standardized.betterThan(probes.baseline());
            findings.set(scaleAt, withStandardizeProbe(findings.get(scaleAt), standardized, probes.baseline(),
                    standardizeHelps));
        }
        initialLoss(history, data).ifPresent(f -> findings.add(f));

        // Exploding gradients: the run's own figures at the start, and the initialisation suited to
        // its activations tried from the same seed.
        double perSample = loss.reduction() == dev.descent.loss.Reduction.SUM ? firstBatch.size() : 1;
        List<String> exploding = firstStep.exploding(perSample);
        Initializer suited = suitedInit(network);
        Probes.Outcome initProbe = null;
        boolean initHelps = false;
        if (!exploding.isEmpty()) {
            if (suited != null) {
                initProbe = probes.withInit(suited, initSeed);
                initHelps = initProbe.betterThan(probes.baseline()) && initProbe.fell();
            }
            findings.add(explodingGradients(firstStep, exploding, perSample, suited, initProbe, probes.baseline(),
                    initHelps));
        }

        if (!startCheck.passed()) {
            Optional<NonRepeatable> noisy = GradientCheck.nonRepeatable(network, loss, first.featureMatrix(),
                    first.labels());
            findings.add(noisy.isPresent() ? nonRepeatable(noisy.get(), "at the starting parameters, on the first "
                    + first.size() + " samples", startCheck) : wrongGradientAtStart(first.size(), startCheck));
        }
        boolean rose = watcher.riseEpoch >= 0;
        if (rose && startCheck.passed()) {
            network.restore(watcher.beforeRise);
            Dataset checked = data.head(Math.min(data.size(), RISE_CHECK_SAMPLES));
            GradientCheckReport check = check(network, checked);
            Optional<NonRepeatable> noisy = check.passed() ? Optional.empty()
                    : GradientCheck.nonRepeatable(network, loss, checked.featureMatrix(), checked.labels());
            if (noisy.isPresent()) {
                findings.add(nonRepeatable(noisy.get(), "at the parameters before the rise", check));
            } else if (!check.passed()) {
                findings.add(wrongGradient(watcher, check));
            } else if (standardizeHelps && standardized.fell()) {
                findings.add(stepTooLargeFromScale(watcher, standardized));
            } else if (initHelps) {
                findings.add(stepTooLargeFromInit(watcher, initProbe));
            } else {
                // Probes long enough to reach the rise, so the rate that avoids it is compared where it happened.
                Probes longer = probes.lasting(Math.max(probes.epochs, Math.min(epochs, watcher.riseEpoch + 2)));
                LearningRateProbe probe = LearningRateProbe.down(longer, standardizeHelps ? longer.standardized()
                        : probeData, watched, learningRate);
                Probes.Outcome against = standardizeHelps ? longer.withStandardize(learningRate) : longer.baseline();
                // A smaller rate is suggested only where the probes showed it clearly better than the run's own.
                boolean worth = probe.best != null && (history.diverged() || !against.fell()
                        || probe.best.betterThan(against));
                if (worth) {
                    suggested = probe.found;
                }
                findings.add(stepTooLarge(watcher, probe, firstStep, worth, against, check));
            }
        }
        if (watcher.notFiniteEpoch >= 0) {
            NotFinite where = new NotFiniteLocator(step.gradients(), loss, optimizer.apply(learningRate))
                    .locate(network, watcher, start, small(data) ? data : probeData);
            notFinite = Optional.of(where);
            findings.add(notFiniteFinding(where, rose));
        } else {
            network.restore(end);
            Optional<Finding> dead = deadUnits(network, watched, data, watcher, history);
            if (dead.isPresent() && dead.get().kind() == Kind.DEAD_NETWORK) {
                // Three fixes can revive a dead layer; each is probed from the same start and the one
                // that ends lowest is suggested: the initialisation, the features' scale, the rate.
                if (suited != null && initProbe == null) {
                    initProbe = probes.withInit(suited, initSeed);
                }
                Probes.Outcome byInit = initProbe != null && initProbe.fell() ? initProbe : null;
                Probes.Outcome byScale = standardizeHelps && standardized.fell() ? standardized : null;
                LearningRateProbe byRate = null;
                if (suggested.isEmpty()) {
                    network.restore(start);
                    byRate = LearningRateProbe.down(probes, standardizeHelps ? probes.standardized() : probeData,
                            watched, learningRate);
                }
                Probes.Outcome rate = byRate != null && byRate.found.isPresent() ? byRate.best : null;
                if (byInit != null && (byScale == null || byInit.endLoss() < byScale.endLoss())
                        && (rate == null || byInit.endLoss() < rate.endLoss())) {
                    dead = Optional.of(deadFromInit(dead.get(), byInit, byScale, byRate));
                } else if (byScale != null) {
                    dead = Optional.of(deadFromScale(dead.get(), standardized));
                } else if (byRate != null) {
                    suggested = byRate.found;
                    dead = Optional.of(withProbe(dead.get(), byRate, standardizeHelps));
                }
            }
            dead.ifPresent(findings::add);
            if (!rose && dead.map(f -> f.kind() != Kind.DEAD_NETWORK).orElse(true) && startCheck.passed()) {
                network.restore(end);
                Stuck stuck = stuck(history, data, balance);
                if (stuck != Stuck.NO) {
                    LearningRateProbe up = LearningRateProbe.up(probes, probeData, watched, learningRate,
                            probes.baseline());
                    if (up.found.isPresent()) {
                        suggested = up.found;
                        findings.add(stepTooSmall(history, up, firstStep));
                    } else if (stuck == Stuck.NOTHING_LEARNED && !standardizeHelps) {
                        network.restore(end);
                        findings.addAll(plateau(history, data, balance, up, firstStep, saturatedAtStart,
                                LayerStats.saturated(network, watched, 0.5)));
                    }
                }
            }
        }
        network.restore(end);
        if (!history.diverged()) {
            HeldOutChecks.overfitting(history).ifPresent(findings::add);
            Dataset held = validation != null ? validation : test;
            String which = validation != null ? "validation" : "test";
            if (data.isRegression()) {
                HeldOutChecks.noBetterThanMean(network, held, which, loss, meanTargets(data)).ifPresent(findings::add);
            } else {
                HeldOutChecks.noBetterThanBaseline(network, held, which, balance, history, data.classNames())
                        .ifPresent(findings::add);
            }
            if (balance != null && balance.ratio() >= DataChecks.IMBALANCE_RATIO) {
                HeldOutChecks.poorRecall(network, held != null ? held : data, held != null ? which : "training",
                        data.classNames()).ifPresent(findings::add);
            }
        }
        if (data.size() <= CONTRADICTION_LIMIT) {
            Contradictions contradictions = Contradictions.of(data);
            if (contradictions.any()) {
                findings.add(contradictoryData(data, contradictions, history));
            }
        }
        if (findings.stream().noneMatch(f -> f.severity() == Severity.PROBLEM)) {
            findings.add(0, healthy(history));
        }
        findings.sort((a, b) -> a.severity().compareTo(b.severity()));
        network.restore(end);
        return new Diagnosis(findings, history, suggested, notFinite, fix(findings, suggested));
    }

    /** The findings so far; each one added or replaced is announced as it is. */
    private static final class Announced extends ArrayList<Finding> {
        private final java.util.function.Consumer<Finding> announce;

        Announced(java.util.function.Consumer<Finding> announce) {
            this.announce = announce;
        }

        @Override
        public boolean add(Finding f) {
            announce.accept(f);
            return super.add(f);
        }

        @Override
        public void add(int index, Finding f) {
            announce.accept(f);
            super.add(index, f);
        }

        @Override
        public boolean addAll(java.util.Collection<? extends Finding> fs) {
            fs.forEach(announce);
            return super.addAll(fs);
        }

        @Override
        public Finding set(int index, Finding f) {
            announce.accept(f);
            return super.set(index, f);
        }
    }

    /** Training sets larger than this are not searched for contradictory rows. */
    static final int CONTRADICTION_LIMIT = 100_000;

    private static boolean small(Dataset d) {
        return (long) d.size() * d.featureCount() <= 4_000_000L;
    }

    /** The first n rows when there are at most n, else a seeded random n of them (in their order), as a matrix. */
    private static Dataset sample(Dataset data, int n) {
        if (data.size() <= n) {
            return data;
        }
        int[] rows = java.util.Arrays.copyOf(Dataset.shuffled(data.size(), new java.util.Random(17)), n);
        java.util.Arrays.sort(rows);
        return data.select(rows, data.description() + ", a sample of " + n).inMemory();
    }

    private static int indexOf(List<Finding> findings, Kind kind) {
        for (int i = 0; i < findings.size(); i++) {
            if (findings.get(i).kind() == kind) {
                return i;
            }
        }
        return -1;
    }

    /** The flags of every problem's fix, in order, a later value of a flag replacing an earlier one. */
    private static List<String> fix(List<Finding> findings, OptionalDouble suggested) {
        java.util.LinkedHashMap<String, String> flags = new java.util.LinkedHashMap<>();
        for (Finding f : findings) {
            if (f.severity() != Severity.PROBLEM) {
                continue;
            }
            List<String> fx = f.fix();
            for (int i = 0; i < fx.size(); i++) {
                boolean hasValue = i + 1 < fx.size() && !fx.get(i + 1).startsWith("--");
                flags.put(fx.get(i), hasValue ? fx.get(++i) : null);
            }
        }
        suggested.ifPresent(lr -> flags.put("--lr", format(lr)));
        List<String> out = new ArrayList<>();
        flags.forEach((k, v) -> {
            out.add(k);
            if (v != null) {
                out.add(v);
            }
        });
        return out;
    }

    /** The run's own gradients against central differences, at the network's current parameters. */
    private GradientCheckReport check(Network network, Dataset on) {
        return new GradientCheck(GradientCheck.DEFAULT_H, GradientCheck.DEFAULT_RTOL, GradientCheck.DEFAULT_ATOL,
                CHECK_PER_TENSOR).check(step.gradients().forChecking(), network, loss, on.featureMatrix(), on.labels());
    }

    // ---- the scale of the features and the loss at initialisation -------------------------------

    private static Finding withStandardizeProbe(Finding scale, Probes.Outcome with, Probes.Outcome without,
            boolean helps) {
        List<String> evidence = new ArrayList<>(scale.evidence());
        evidence.add("probe from the same start: with --standardize " + with.describe() + "; as it is "
                + without.describe());
        if (helps) {
            return new Finding(Severity.PROBLEM, scale.kind(), scale.title(), evidence, scale.suggestion(), scale.fix());
        }
        return new Finding(Severity.NOTE, scale.kind(), scale.title(), evidence,
                "--standardize did no better in the probe; this run does not need it", List.of());
    }

    private Optional<Finding> initialLoss(History history, Dataset data) {
        if (data.isRegression()) { // ln k is the start of a classifier; a regression loss has no such level
            return Optional.empty();
        }
        double l0 = history.first().loss();
        double mean = loss.reduction() == dev.descent.loss.Reduction.SUM ? l0 / data.size() : l0;
        double expected = Math.log(data.classCount());
        if (!Double.isFinite(mean) || mean <= 2 * expected + INIT_LOSS_MARGIN) {
            return Optional.empty();
        }
        return Optional.of(new Finding(Severity.NOTE, Kind.LOSS_AT_INIT,
                String.format(Locale.ROOT, "the loss at initialisation is %.4g per sample; about ln %d = %.4g is "
                        + "expected", mean, data.classCount(), expected),
                List.of("a network that starts without an opinion predicts every class with probability 1/k, a loss "
                        + "of ln k; far above it, the start is confidently wrong: outputs too large, from large "
                        + "inputs or large initial weights"),
                "inputs near mean 0 and sd 1 (--standardize) and a scaled initialisation (he, xavier) start near ln k"));
    }

    // ---- wrong gradients and the loss rising -----------------------------------------------------

    private Finding wrongGradientAtStart(int samples, GradientCheckReport check) {
        List<String> evidence = new ArrayList<>();
        evidence.add("gradient check of " + step.describe() + " at the starting parameters, on the first " + samples
                + " sample" + (samples == 1 ? "" : "s") + ":");
        evidence.addAll(checkLines(check));
        String names = String.join(", ", check.failures().stream().map(t -> t.name()).toList());
        return new Finding(Severity.PROBLEM, Kind.WRONG_GRADIENT,
                "the gradients the run descends along are wrong, before any step is taken",
                evidence, "fix the backward pass that feeds " + names + "; a smaller learning rate will not help");
    }

    /** A check failed because the forward pass is not repeatable: named as that, not as a wrong gradient. */
    private static Finding nonRepeatable(NonRepeatable n, String where, GradientCheckReport check) {
        List<String> evidence = new ArrayList<>();
        evidence.add(String.format(Locale.ROOT, "two forward passes %s, at the same parameters, gave the losses %.10g "
                + "and %.10g; the first output to differ is %s's", where, n.firstLoss(), n.secondLoss(), n.where()));
        evidence.add("every central difference then measures the noise between two passes, not the slope, so the "
                + "gradient check's disagreement (" + String.join(", ", check.failures().stream().map(t -> t.name())
                        .toList()) + ") says nothing about the backward pass");
        return new Finding(Severity.PROBLEM, Kind.NON_REPEATABLE_FORWARD,
                "the forward pass is not repeatable: " + n.where() + " gives different outputs for the same input",
                evidence, "make " + n.where() + " draw its random numbers from a seed it is given (as --dropout's "
                        + "masks are, which a check holds fixed), or switch them off while checking; then check its "
                        + "backward again");
    }

    private static List<String> checkLines(GradientCheckReport check) {
        List<String> lines = new ArrayList<>(Arrays.asList(check.summary().split("\n")));
        if (check.kinks() > 0) {
            lines.add(check.kinkNote());
        }
        return lines;
    }

    private Finding wrongGradient(Watcher w, GradientCheckReport check) {
        List<String> evidence = new ArrayList<>();
        evidence.add("gradient check at the parameters before that step:");
        evidence.addAll(checkLines(check));
        String names = String.join(", ", check.failures().stream().map(t -> t.name()).toList());
        return new Finding(Severity.PROBLEM, Kind.WRONG_GRADIENT,
                riseTitle(w) + " because the gradients are wrong",
                evidence, "fix the backward pass that feeds " + names + "; a smaller learning rate will not help");
    }

    private String riseTitle(Watcher w) {
        return w.miniBatches
                ? String.format(Locale.ROOT, "the loss rose and stayed up (epoch %d: %.6g, from its lowest so far "
                        + "%.6g)", w.riseEpoch, w.riseTo, w.riseFrom)
                : String.format(Locale.ROOT, "the loss rose across a step of descent (epoch %d: %.6g -> %.6g)",
                        w.riseEpoch, w.riseFrom, w.riseTo);
    }

    private Finding stepTooLarge(Watcher w, LearningRateProbe probe, LayerStats first, boolean worth,
            Probes.Outcome against, GradientCheckReport check) {
        List<String> evidence = new ArrayList<>();
        evidence.add("gradient check at the parameters before that step: backprop and central differences agree, "
                + "so the gradient is right and the step is too large");
        if (check.kinks() > 0) {
            evidence.add(check.kinkNote());
        }
        evidence.add(first.describeUpdates());
        evidence.add("probes of " + probe.epochs + " epochs from the same start: " + probe.describe());
        if (worth || probe.best == null) {
            return new Finding(Severity.PROBLEM, Kind.STEP_TOO_LARGE, riseTitle(w), evidence, probe.suggestion());
        }
        evidence.add("but this rate, " + against.describe() + ", ends lower than lr "
                + format(probe.found.getAsDouble()) + ": " + probe.best.describe());
        return new Finding(Severity.NOTE, Kind.STEP_TOO_LARGE, riseTitle(w) + ", then recovered", evidence,
                "no change needed: a smaller learning rate did no better in the probes");
    }

    private Finding stepTooLargeFromScale(Watcher w, Probes.Outcome standardized) {
        return new Finding(Severity.PROBLEM, Kind.STEP_TOO_LARGE, riseTitle(w),
                List.of("gradient check at the parameters before that step: backprop and central differences agree",
                        "the features are far from mean 0 and sd 1 (see above): a step that suits one feature is far "
                                + "too large for another",
                        "probe from the same start at the same learning rate: with --standardize "
                                + standardized.describe()),
                "standardise the features (--standardize) rather than lowering the learning rate",
                List.of("--standardize"));
    }

    private Finding stepTooLargeFromInit(Watcher w, Probes.Outcome byInit) {
        String flag = byInit.label().substring("--init ".length());
        return new Finding(Severity.PROBLEM, Kind.STEP_TOO_LARGE, riseTitle(w),
                List.of("gradient check at the parameters before that step: backprop and central differences agree",
                        "the gradients explode from the starting weights (see above): a step that suits one layer is "
                                + "far too large for another",
                        "probe from the same seed at the same learning rate: with " + byInit.label() + " "
                                + byInit.describe()),
                "start from a scaled initialisation (" + byInit.label() + ") rather than lowering the learning rate",
                List.of("--init", flag));
    }

    private static Finding explodingGradients(LayerStats first, List<String> exploding, double perSample,
            Initializer suited, Probes.Outcome byInit, Probes.Outcome baseline, boolean helps) {
        List<String> evidence = new ArrayList<>();
        evidence.add("|dW|/|W| " + (perSample > 1 ? "per sample " : "") + "above " + format(LayerStats.EXPLODING)
                + " at the start: " + String.join(", ", exploding) + " (a healthy start is about 1e-2 to 10)");
        evidence.add(first.describeGradients());
        evidence.add(first.describeUpdates());
        String what = "the starting weights are too large for the network's depth and width: ";
        if (byInit == null) {
            return new Finding(Severity.PROBLEM, Kind.EXPLODING_GRADIENTS, "the gradients explode: far larger than "
                    + "the weights they update", evidence, what + "start from a scaled initialisation (he with relu, "
                    + "xavier with sigmoid or tanh), or use fewer layers; a smaller learning rate only hides it");
        }
        evidence.add("probe from the same seed: with " + byInit.label() + " " + byInit.describe() + "; as it is "
                + baseline.describe());
        String flag = byInit.label().substring("--init ".length());
        return new Finding(Severity.PROBLEM, Kind.EXPLODING_GRADIENTS, "the gradients explode: far larger than the "
                + "weights they update", evidence, helps ? what + "start from " + byInit.label()
                        : what + "use fewer layers (" + byInit.label() + " did no better in the probe)",
                helps ? List.of("--init", flag) : List.of());
    }

    // ---- a loss that does not move --------------------------------------------------------------

    private enum Stuck { NO, BARELY_MOVED, NOTHING_LEARNED }

    private Stuck stuck(History h, Dataset data, ClassBalance balance) {
        History.Row first = h.first(), last = h.last();
        if (data.isRegression()) {
            // Nothing learned: no better than predicting the targets' mean (R² within BASELINE_MARGIN of 0).
            if (last.loss() >= (1 - BASELINE_MARGIN) * meanPredictionLoss(data)) {
                return Stuck.NOTHING_LEARNED;
            }
            return first.loss() - last.loss() < BARELY_MOVED * first.loss() ? Stuck.BARELY_MOVED : Stuck.NO;
        }
        double floor = data.size() <= CONTRADICTION_LIMIT ? Contradictions.of(data).lossFloor(loss.reduction()) : 0;
        double ignoring = balance.ignoringInputLoss(loss.reduction());
        if (last.accuracy() <= balance.baseline() + BASELINE_MARGIN && last.loss() >= IGNORING_INPUT * ignoring) {
            return Stuck.NOTHING_LEARNED;
        }
        if (first.loss() - last.loss() < BARELY_MOVED * (first.loss() - floor) && last.accuracy() < 0.99) {
            return Stuck.BARELY_MOVED;
        }
        return Stuck.NO;
    }

    private Finding stepTooSmall(History h, LearningRateProbe up, LayerStats first) {
        List<String> evidence = new ArrayList<>();
        evidence.add(String.format(Locale.ROOT, "over %d epochs the loss went from %.6g to %.6g%s", h.last().epoch(),
                h.first().loss(), h.last().loss(), accuracy(", training accuracy", h.last())));
        evidence.add(first.describeUpdates());
        evidence.add("probes of " + up.epochs + " epochs from the same start, loss (training accuracy): "
                + String.join(", ", up.outcomes));
        String lr = format(up.found.getAsDouble());
        return new Finding(Severity.PROBLEM, Kind.STEP_TOO_SMALL, "the steps are too small: the loss barely moves",
                evidence, "use a learning rate of " + lr + ": with --lr " + lr + " " + up.best.describe(),
                List.of("--lr", lr));
    }

    private List<Finding> plateau(History h, Dataset data, ClassBalance balance, LearningRateProbe up,
            LayerStats first, List<String> saturatedAtStart, List<String> saturatedAtEnd) {
        List<Finding> out = new ArrayList<>();
        List<String> evidence = new ArrayList<>();
        if (data.isRegression()) {
            evidence.add(String.format(Locale.ROOT, "after %d epochs the loss is %.6g; predicting the targets' mean for "
                    + "every sample gives a loss of %.6g (R² = 0)", h.last().epoch(), h.last().loss(),
                    meanPredictionLoss(data)));
        } else {
            evidence.add(String.format(Locale.ROOT, "after %d epochs the loss is %.6g and training accuracy %.1f%%; "
                    + "predicting the class frequencies for every sample gives a loss of %.6g and always predicting "
                    + "'%s' %.1f%%", h.last().epoch(), h.last().loss(), 100 * h.last().accuracy(),
                    balance.ignoringInputLoss(loss.reduction()), data.classNames().get(balance.majority()),
                    100 * balance.baseline()));
        }
        evidence.add("larger learning rates, probed for " + up.epochs + " epochs from the same start, did no better: "
                + String.join(", ", up.outcomes));
        boolean vanishing = first.firstOverLast() < LayerStats.VANISHING_RATIO;
        List<String> saturated = saturatedAtEnd.isEmpty() ? saturatedAtStart : saturatedAtEnd;
        String suggestion = data.isRegression()
                ? "check that --label names the target columns and that the features can predict them"
                : "check that --label names the class column and that the features can predict it";
        if (vanishing) {
            out.add(new Finding(Severity.PROBLEM, Kind.VANISHING_GRADIENTS,
                    "the gradients vanish on their way back to the first layers",
                    List.of(first.describeGradients(), String.format(Locale.ROOT, "the first layer's is %.2g of the "
                            + "last layer's (below %s vanishes)", first.firstOverLast(), format(LayerStats.VANISHING_RATIO))),
                    "use fewer layers, or relu with --init he, whose gradients keep their size through depth"));
            suggestion = "the early layers do not learn (see the gradients above)";
        }
        if (!saturated.isEmpty()) {
            out.add(new Finding(Severity.PROBLEM, Kind.SATURATED_UNITS, "sigmoid or tanh units are saturated",
                    saturated, "a saturated unit passes almost no gradient: standardise the features (--standardize), "
                            + "use a smaller initialisation (xavier), or relu"));
            suggestion = "the units are saturated (see above)";
        }
        out.add(0, new Finding(Severity.PROBLEM, Kind.PLATEAU,
                "nothing learned: the loss is stuck at the level of a network that ignores its input", evidence,
                suggestion));
        return out;
    }

    // ---- NaN and infinity -----------------------------------------------------------------------

    private static Finding notFiniteFinding(NotFinite nf, boolean afterRise) {
        String when = nf.epoch() == 0 ? "at the starting parameters" : "at epoch " + nf.epoch() + ", step " + nf.step();
        return new Finding(Severity.PROBLEM, Kind.NOT_FINITE,
                "NaN or infinity appeared " + when + ", in the " + nf.stage() + ": " + nf.where(),
                List.of("training stopped there; nothing after it would mean anything"),
                afterRise ? "the loss rose before that: see the learning rate above"
                        : nf.epoch() == 0 ? "check the data and the starting parameters for NaN or infinity"
                        : "check " + nf.where() + " for an operation that can overflow or take an invalid input");
    }

    // ---- dead ReLU units ------------------------------------------------------------------------

    private Optional<Finding> deadUnits(Network network, Matrix watched, Dataset data, Watcher w, History history) {
        Map<Integer, boolean[]> now = Watcher.activity(network, watched);
        List<String> evidence = new ArrayList<>();
        boolean wholeLayer = false;
        for (Map.Entry<Integer, boolean[]> e : now.entrySet()) {
            int dead = 0;
            int since = Integer.MAX_VALUE;
            int[] last = w.lastActive.get(e.getKey());
            for (int j = 0; j < e.getValue().length; j++) {
                if (!e.getValue()[j]) {
                    dead++;
                    int lastActive = last == null ? -1 : last[j];
                    since = Math.min(since, lastActive + 1);
                }
            }
            if (dead > 0) {
                int units = e.getValue().length;
                wholeLayer |= dead == units;
                evidence.add(String.format(Locale.ROOT, "layer %d (relu): %d of %d units dead%s", e.getKey() + 1, dead,
                        units, since == 0 ? " from the start" : ", the earliest since epoch " + since));
            }
        }
        if (evidence.isEmpty()) {
            return Optional.empty();
        }
        if (wholeLayer && data.isRegression()) {
            // A network that ignores its input predicts one value per target; the best is the targets'
            // mean, whose mean squared error is their variance (R² = 0).
            double best = meanPredictionLoss(data);
            evidence.add(String.format(Locale.ROOT, "the loss is %.6g after epoch %d; a network that ignores its input "
                    + "can do no better than %.6g (%s)", history.last().loss(), history.last().epoch(), best,
                    loss instanceof RegressionLoss && !(loss instanceof MeanSquaredError)
                            ? "the loss of predicting the targets' mean, R² = 0"
                            : "the targets' variance, R² = 0, for mean squared error"));
            return Optional.of(new Finding(Severity.PROBLEM, Kind.DEAD_NETWORK,
                    "the network's output no longer depends on its input: a whole ReLU layer is dead", evidence,
                    "use a smaller learning rate, or an initialisation that keeps units alive (he)"));
        }
        if (wholeLayer) {
            // A network that ignores its input predicts one distribution for every sample; the best
            // one is the class frequencies, whose loss is their entropy: n ln k for balanced classes.
            double best = 0;
            int[] counts = new int[data.classCount()];
            for (int label : data.labels()) {
                counts[label]++;
            }
            for (int c : counts) {
                best -= c == 0 ? 0 : c * Math.log((double) c / data.size());
            }
            if (loss.reduction() == dev.descent.loss.Reduction.MEAN) {
                best /= data.size();
            }
            boolean balanced = java.util.Arrays.stream(counts).allMatch(c -> c == counts[0]);
            String why = balanced ? String.format(Locale.ROOT, "n ln k = %d ln %d, uniform predictions", data.size(),
                    data.classCount()) : "the entropy of the class frequencies";
            evidence.add(String.format(Locale.ROOT, "the loss is %.6g after epoch %d; a network that ignores its input "
                    + "can do no better than %.6g (%s)", history.last().loss(), history.last().epoch(), best, why));
            return Optional.of(new Finding(Severity.PROBLEM, Kind.DEAD_NETWORK,
                    "the network's output no longer depends on its input: a whole ReLU layer is dead", evidence,
                    "use a smaller learning rate, or an initialisation that keeps units alive (he)"));
        }
        return Optional.of(new Finding(Severity.NOTE, Kind.DEAD_UNITS,
                "some ReLU units are never active on the training data", evidence,
                "dead units no longer learn; if there are many, try a smaller learning rate, or features "
                        + "scaled to mean 0 and sd 1"));
    }

    /** The population variance of each target over the rows, averaged over the targets: MSE of predicting the mean. */
    static double targetVariance(Dataset data) {
        Matrix y = data.rowTargets();
        double total = 0;
        for (int j = 0; j < y.cols(); j++) {
            double mean = 0, m2 = 0;
            for (int r = 0; r < y.rows(); r++) {
                double v = y.get(r, j), d = v - mean;
                mean += d / (r + 1);
                m2 += d * (v - mean);
            }
            total += m2 / y.rows();
        }
        return total / y.cols();
    }

    /** The mean of each target over the rows of a regression set. */
    static double[] meanTargets(Dataset data) {
        Matrix y = data.rowTargets();
        double[] mean = new double[y.cols()];
        for (int r = 0; r < y.rows(); r++) {
            for (int j = 0; j < mean.length; j++) {
                mean[j] += (y.get(r, j) - mean[j]) / (r + 1);
            }
        }
        return mean;
    }

    /**
     * The loss of predicting the targets' mean for every row of a regression set: the best a
     * network that ignores its input can do under mean squared error (R² = 0), computed with the
     * run's own loss; the targets' variance where the loss is not a {@link RegressionLoss}.
     */
    private double meanPredictionLoss(Dataset data) {
        if (!(loss instanceof RegressionLoss r)) {
            return targetVariance(data) * (loss.reduction() == dev.descent.loss.Reduction.SUM ? data.size() : 1);
        }
        return HeldOutChecks.constantLoss(r.withTargets(data.targets()), data, meanTargets(data));
    }

    private static Finding deadFromScale(Finding dead, Probes.Outcome standardized) {
        List<String> evidence = new ArrayList<>(dead.evidence());
        evidence.add("the features are far from mean 0 and sd 1 (see above); probe from the same start at the same "
                + "learning rate: with --standardize " + standardized.describe());
        return new Finding(Severity.PROBLEM, dead.kind(), dead.title(), evidence,
                "standardise the features (--standardize): large inputs pushed every unit below 0", List.of("--standardize"));
    }

    private static Finding deadFromInit(Finding dead, Probes.Outcome byInit, Probes.Outcome byScale,
            LearningRateProbe byRate) {
        List<String> evidence = new ArrayList<>(dead.evidence());
        evidence.add("probe from the same seed with " + byInit.label() + ": " + byInit.describe());
        if (byScale != null) {
            evidence.add("with --standardize instead: " + byScale.describe());
        }
        if (byRate != null) {
            evidence.add("smaller learning rates instead, " + byRate.epochs + " epochs each: " + byRate.describe());
        }
        String flag = byInit.label().substring("--init ".length());
        return new Finding(Severity.PROBLEM, dead.kind(), dead.title(), evidence, "start from a scaled "
                + "initialisation (" + byInit.label() + "): the starting weights drove every unit below 0, and of "
                + "the probed fixes it ends lowest", List.of("--init", flag));
    }

    private static Finding withProbe(Finding dead, LearningRateProbe probe, boolean standardized) {
        List<String> evidence = new ArrayList<>(dead.evidence());
        evidence.add("probes of " + probe.epochs + " epochs from the same start" + (standardized ? ", with --standardize"
                : "") + ": " + probe.describe());
        return new Finding(dead.severity(), dead.kind(), dead.title(), evidence,
                probe.found.isPresent() ? probe.suggestion() + (standardized ? ", with --standardize" : "")
                        : dead.suggestion(), probe.found.isPresent() && standardized ? List.of("--standardize") : List.of());
    }

    // ---- contradictory data and the healthy case ------------------------------------------------

    private Finding contradictoryData(Dataset data, Contradictions c, History history) {
        List<String> evidence = new ArrayList<>();
        for (int[] group : c.groups()) {
            List<String> rows = new ArrayList<>(), labels = new ArrayList<>();
            for (int r : group) {
                rows.add(Integer.toString(r + 1));
                labels.add(data.classNames().get(data.labels()[r]));
            }
            evidence.add("rows " + String.join(", ", rows) + ": the same input " + formatRow(data.featureMatrix().row(group[0]))
                    + " with labels " + String.join(", ", labels));
        }
        double floor = c.lossFloor(loss.reduction());
        evidence.add(String.format(Locale.ROOT, "no model can beat %.1f%% accuracy (%d of %d) or a loss of %.6g",
                100 * c.maxAccuracy(), c.maxCorrect(), c.samples(), floor));
        History.Row last = history.last();
        if (Double.isFinite(last.loss())) {
            evidence.add(String.format(Locale.ROOT, "this run reached %.1f%% and a loss of %.6g", 100 * last.accuracy(),
                    last.loss()));
        }
        boolean done = last.accuracy() >= c.maxAccuracy() - 1e-12 && last.loss() < floor * 1.25 + 1e-9;
        return new Finding(Severity.NOTE, Kind.CONTRADICTORY_DATA,
                "the data gives " + c.groups().size() + " input" + (c.groups().size() == 1 ? "" : "s")
                        + " two or more labels", evidence,
                done ? "training has done nearly all it can on this data"
                        : "judge the run against these limits, not against 100% and 0");
    }

    private static String formatRow(double[] row) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < row.length && i < 8; i++) {
            sb.append(i > 0 ? ", " : "").append(format(row[i]));
        }
        return sb.append(row.length > 8 ? ", ...]" : "]").toString();
    }

    private Finding healthy(History history) {
        History.Row first = history.first(), last = history.last();
        return new Finding(Severity.HEALTHY, Kind.HEALTHY,
                String.format(Locale.ROOT, "the loss fell from %.6g to %.6g over %d epochs%s", first.loss(), last.loss(),
                        last.epoch(), accuracy(", training accuracy", last)),
                List.of(), "");
    }

    /** {@code ", training accuracy 93.0%"}, or nothing where there is no accuracy (regression). */
    private static String accuracy(String label, History.Row row) {
        return Double.isNaN(row.accuracy()) ? "" : String.format(Locale.ROOT, "%s %.1f%%", label, 100 * row.accuracy());
    }

    /** A number as a user would type it, in its shortest exact form: 0.05, 0.048828125. */
    public static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
