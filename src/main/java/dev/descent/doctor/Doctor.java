package dev.descent.doctor;

import dev.descent.data.Contradictions;
import dev.descent.data.Dataset;
import dev.descent.doctor.Diagnosis.NotFinite;
import dev.descent.doctor.Finding.Kind;
import dev.descent.doctor.Finding.Severity;
import dev.descent.gradcheck.GradientCheck;
import dev.descent.gradcheck.GradientCheckReport;
import dev.descent.loss.Loss;
import dev.descent.network.Network;
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
    /** Each learning-rate probe trains at most this many epochs. */
    public static final int PROBE_EPOCHS = 20;
    /** The learning rate is halved at most this many times while probing. */
    public static final int MAX_HALVINGS = 30;
    /** Each gradient check compares at most this many entries per tensor. */
    public static final int CHECK_PER_TENSOR = 200;
    /** The gradient check at the start runs on at most this many samples. */
    public static final int START_CHECK_SAMPLES = 32;

    private final TrainingStep step;
    private final Loss loss;
    private final DoubleFunction<Optimizer> optimizer;
    private final double learningRate;
    private final int epochs;

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

    private Trainer trainer(double lr, int n) {
        return new Trainer(step, loss, optimizer.apply(lr), n);
    }

    /** Short runs from {@code start} at halved learning rates, until one falls steadily. */
    private LearningRateProbe probe(Network network, List<Matrix> start, Dataset data) {
        return LearningRateProbe.run(network, start, data, learningRate, Math.min(epochs, PROBE_EPOCHS), this::trainer);
    }

    /** Trains {@code network} on {@code data} while watching; the network ends as that training left it. */
    public Diagnosis examine(Network network, Dataset dataset) {
        // Small data is what the doctor is for: hold it as one matrix, read many times.
        Dataset data = new Dataset(dev.descent.data.Features.of(dataset.featureMatrix()), dataset.labels(),
                dataset.classNames(), dataset.description(), dataset.targets());
        List<Matrix> start = network.snapshot();
        Dataset first = data.head(Math.min(data.size(), START_CHECK_SAMPLES));
        GradientCheckReport startCheck = check(network, first);
        Watcher watcher = new Watcher(data);
        History history = trainer(learningRate, epochs).listener(watcher).fit(network, data);
        List<Matrix> end = network.snapshot();

        List<Finding> findings = new ArrayList<>();
        OptionalDouble suggested = OptionalDouble.empty();
        Optional<NotFinite> notFinite = Optional.empty();

        if (!startCheck.passed()) {
            findings.add(wrongGradientAtStart(first.size(), startCheck));
        }
        if (watcher.riseEpoch >= 0) {
            network.restore(watcher.beforeRise);
            GradientCheckReport check = startCheck.passed() ? check(network, data) : startCheck;
            if (!startCheck.passed()) {
                // named above: a wrong gradient explains the rise
            } else if (!check.passed()) {
                findings.add(wrongGradient(watcher, check));
            } else {
                LearningRateProbe probe = probe(network, start, data);
                suggested = probe.found;
                findings.add(stepTooLarge(watcher, probe));
            }
        }
        if (watcher.notFiniteEpoch >= 0) {
            NotFinite where = new NotFiniteLocator(step.gradients(), loss, optimizer.apply(learningRate))
                    .locate(network, watcher, start, data);
            notFinite = Optional.of(where);
            findings.add(notFiniteFinding(where, watcher.riseEpoch >= 0));
        } else {
            network.restore(end);
            Optional<Finding> dead = deadUnits(network, data, watcher, history);
            if (dead.isPresent() && dead.get().kind() == Kind.DEAD_NETWORK && suggested.isEmpty()) {
                LearningRateProbe probe = probe(network, start, data);
                suggested = probe.found;
                dead = Optional.of(withProbe(dead.get(), probe));
            }
            dead.ifPresent(findings::add);
        }
        Contradictions contradictions = Contradictions.of(data);
        if (contradictions.any()) {
            findings.add(contradictoryData(data, contradictions, history));
        }
        if (findings.stream().noneMatch(f -> f.severity() == Severity.PROBLEM)) {
            findings.add(0, healthy(history));
        }
        findings.sort((a, b) -> a.severity().compareTo(b.severity()));
        network.restore(end);
        return new Diagnosis(findings, history, suggested, notFinite);
    }

    /** The run's own gradients against central differences, at the network's current parameters. */
    private GradientCheckReport check(Network network, Dataset on) {
        return new GradientCheck(GradientCheck.DEFAULT_H, GradientCheck.DEFAULT_RTOL, GradientCheck.DEFAULT_ATOL,
                CHECK_PER_TENSOR).check(step.gradients().forChecking(), network, loss, on.featureMatrix(), on.labels());
    }

    // ---- wrong gradients and the loss rising -----------------------------------------------------

    private Finding wrongGradientAtStart(int samples, GradientCheckReport check) {
        List<String> evidence = new ArrayList<>();
        evidence.add("gradient check of " + step.describe() + " at the starting parameters, on the first " + samples
                + " sample" + (samples == 1 ? "" : "s") + ":");
        evidence.addAll(Arrays.asList(check.summary().split("\n")));
        String names = String.join(", ", check.failures().stream().map(t -> t.name()).toList());
        return new Finding(Severity.PROBLEM, Kind.WRONG_GRADIENT,
                "the gradients the run descends along are wrong, before any step is taken",
                evidence, "fix the backward pass that feeds " + names + "; a smaller learning rate will not help");
    }

    private Finding wrongGradient(Watcher w, GradientCheckReport check) {
        List<String> evidence = new ArrayList<>();
        evidence.add("gradient check at the parameters before that step:");
        evidence.addAll(Arrays.asList(check.summary().split("\n")));
        String names = String.join(", ", check.failures().stream().map(t -> t.name()).toList());
        return new Finding(Severity.PROBLEM, Kind.WRONG_GRADIENT,
                String.format(Locale.ROOT, "the loss rose across a step of descent (epoch %d: %.6g -> %.6g) "
                        + "because the gradients are wrong", w.riseEpoch, w.riseFrom, w.riseTo),
                evidence, "fix the backward pass that feeds " + names + "; a smaller learning rate will not help");
    }

    private Finding stepTooLarge(Watcher w, LearningRateProbe probe) {
        List<String> evidence = new ArrayList<>();
        evidence.add("gradient check at the parameters before that step: backprop and central differences agree, "
                + "so the gradient is right and the step is too large");
        evidence.add("probes of " + probe.epochs + " epochs from the same start: " + probe.describe());
        return new Finding(Severity.PROBLEM, Kind.STEP_TOO_LARGE,
                String.format(Locale.ROOT, "the loss rose across a step of descent (epoch %d: %.6g -> %.6g)",
                        w.riseEpoch, w.riseFrom, w.riseTo),
                evidence, probe.suggestion());
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

    private Optional<Finding> deadUnits(Network network, Dataset data, Watcher w, History history) {
        Map<Integer, boolean[]> now = Watcher.activity(network, data.featureMatrix());
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
            double best = targetVariance(data) * (loss.reduction() == dev.descent.loss.Reduction.MEAN ? 1 : data.size());
            evidence.add(String.format(Locale.ROOT, "the loss is %.6g after epoch %d; a network that ignores its input "
                    + "can do no better than %.6g (the targets' variance, R² = 0, for mean squared error)",
                    history.last().loss(), history.last().epoch(), best));
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

    private static Finding withProbe(Finding dead, LearningRateProbe probe) {
        List<String> evidence = new ArrayList<>(dead.evidence());
        evidence.add("probes of " + probe.epochs + " epochs from the same start: " + probe.describe());
        return new Finding(dead.severity(), dead.kind(), dead.title(), evidence,
                probe.found.isPresent() ? probe.suggestion() : dead.suggestion());
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
                String.format(Locale.ROOT, "the loss fell from %.6g to %.6g over %d epochs, "
                        + "training accuracy %.1f%%", first.loss(), last.loss(), last.epoch(), 100 * last.accuracy()),
                List.of(), "");
    }

    /** A number as a user would type it, in its shortest exact form: 0.05, 0.048828125. */
    public static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
