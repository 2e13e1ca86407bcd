package dev.descent.cli;

import dev.descent.Descent;
import dev.descent.data.Dataset;
import dev.descent.data.Standardization;
import dev.descent.io.Terminal;
import dev.descent.loss.Reduction;
import dev.descent.loss.Loss;
import dev.descent.loss.RegressionLoss;
import dev.descent.modelfile.Model;
import dev.descent.network.Network;
import dev.descent.optim.LearningRateSchedule;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.train.Trainer;
import dev.descent.train.TrainingStep;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a training run needs, resolved from the options and checked, before any work starts.
 * Shared by every command that trains or checks a network.
 *
 * @param data       the training data (after any validation split, standardised if asked)
 * @param validation the validation split, or null
 * @param test       the held-out test set, or null
 */
record Setup(Defaults preset, Dataset data, Dataset validation, Dataset test, Model start, String init,
        TrainingStep step, String stepNote, Reduction reduction, String optimizer, double learningRate, int batch,
        int epochs, Integer patience, long seed, Optimizers.Settings optimizerSettings, LearningRateSchedule schedule,
        Loss trainingLoss) {

    static Setup of(DataOptions dataOptions, ModelOptions model, LossOptions loss, TrainingOptions training,
            SplitOptions split) {
        return of(dataOptions, model, loss, training, split, false);
    }

    /** The same, for a run that saves checkpoints when {@code checkpoints}. */
    static Setup of(DataOptions dataOptions, ModelOptions model, LossOptions loss, TrainingOptions training,
            SplitOptions split, boolean checkpoints) {
        Defaults preset = dataOptions.preset();
        // Flags first, so a typo is reported before a large file is read.
        TrainingStep step = training.trainingStep(preset);
        double lr = training.learningRate(preset);
        Optimizers.Settings optimizerSettings = training.optimizerSettings(preset);
        LearningRateSchedule schedule = training.schedule(preset);
        int epochs = training.epochs(preset);
        int batch = training.batch(preset);
        Reduction reduction = loss.reduction(preset);
        boolean regression = dataOptions.regression();
        loss.check(regression);
        if (split != null && split.standardizeTargets && !regression) {
            throw new UserError("--standardize-targets: only used with --task regression");
        }
        model.check(preset);
        if (split != null) {
            split.check();
        }

        Dataset all = dataOptions.training();
        int slots = dev.descent.optim.Optimizers.create(training.optimizerName(), lr).state().slots().size();
        boolean best = split != null && split.patience != null;
        int rows = MemoryCheck.rowsAtOnce(all.size(), batch);
        if (model.initializer(preset) != null) { // before the network is built
            List<Integer> widths = new ArrayList<>(List.of(all.featureCount()));
            widths.addAll(model.hiddenLayers(preset));
            widths.add(all.classCount());
            MemoryCheck.network(model.layers != null ? "--layers" : "--data", widths, slots, best, checkpoints, rows);
        }
        Model start = model.model(all, preset);
        if (model.initializer(preset) == null) {
            MemoryCheck.network("--init", widths(start.network()), slots, best, checkpoints, rows);
        }
        Dataset data = all, validation = null, test = null;
        if (split != null && split.validationSplit != null) {
            Dataset[] parts;
            try {
                parts = all.splitValidation(split.validationSplit, model.seed());
            } catch (IllegalArgumentException e) {
                throw new UserError("--validation-split: " + e.getMessage());
            }
            data = parts[0];
            validation = parts[1];
        }
        if (split != null) {
            Path testPath = split.test != null ? split.test : split.useDefaultTest ? dataOptions.defaultTest() : null;
            test = dataOptions.labelled("--test", testPath, all.classNames(), "the training data");
            if (test != null && test.featureCount() != all.featureCount()) {
                throw new UserError("--test: " + testPath + " has " + test.featureCount() + " features but the training "
                        + "data has " + all.featureCount());
            }
            if (test != null && regression && !test.classNames().equals(all.classNames())) {
                throw new UserError("--test: " + testPath + " has targets " + test.classNames() + " but the training "
                        + "data has " + all.classNames());
            }
        }
        if (regression) {
            Standardization targets = start.targetStandardization();
            if (split != null && split.standardizeTargets) {
                if (targets != null) {
                    throw new UserError("--standardize-targets: the model file " + model.init
                            + " already fixes its targets' standardisation");
                }
                targets = Standardize.targets(data);
            }
            if (targets != null) {
                data = data.withTargets(standardizedTargets(data, targets));
                validation = validation == null ? null : validation.withTargets(data.targets());
                test = test == null ? null : test.withTargets(standardizedTargets(test, targets));
            }
            start = new Model(start.network(), start.classNames(), start.standardization(), start.training(),
                    Model.LINEAR, targets);
        }
        Standardization s = start.standardization();
        if (split != null && split.standardize) {
            if (s != null) {
                throw new UserError("--standardize: the model file " + model.init + " already fixes its standardisation");
            }
            s = Standardize.features(data, dataOptions);
            start = new Model(start.network(), start.classNames(), s, start.training(), start.output(),
                    start.targetStandardization());
        }
        if (s != null) {
            data = data.standardized(s);
            validation = validation == null ? null : validation.standardized(s);
            test = test == null ? null : test.standardized(s);
        }
        return new Setup(preset, data, validation, test, start, model.initDescription(preset), step,
                training.dtypeNote(preset), reduction, training.optimizerName(), lr, batch, epochs,
                split == null ? null : split.patience, model.seed(), optimizerSettings, schedule,
                loss.loss(preset, data));
    }

    /** The targets of {@code d}, all rows of its matrix, standardised by {@code s}: a copy. */
    private static dev.descent.tensor.Matrix standardizedTargets(Dataset d, Standardization s) {
        dev.descent.tensor.Matrix t = d.targets().copy();
        s.applyInPlace(t, t.rows());
        return t;
    }

    Network network() {
        return start.network();
    }

    /** The widths of a network's dense layers, input first. */
    private static List<Integer> widths(Network network) {
        List<Integer> widths = new ArrayList<>(List.of(network.inputSize()));
        for (var layer : network.layers()) {
            if (layer instanceof dev.descent.layers.Dense dense) {
                widths.add(dense.outputSize());
            }
        }
        return widths;
    }

    /** The loss on the training data's targets (and the validation split's, which shares them). */
    Loss loss() {
        return trainingLoss;
    }

    /** The loss on {@code d}'s targets: a test set's, for regression; the same loss for classification. */
    Loss lossFor(Dataset d) {
        return trainingLoss instanceof RegressionLoss r ? r.withTargets(d.targets()) : trainingLoss;
    }

    boolean regression() {
        return data.isRegression();
    }

    Trainer trainer() {
        Optimizer optimizer = Optimizers.create(optimizerSettings);
        Trainer t = new Trainer(step, loss(), optimizer, epochs).batchSize(batch).shuffleSeed(seed + 1);
        if (!schedule.isConstant()) {
            t.schedule(schedule);
        }
        if (validation != null) {
            t.validation(validation);
        }
        if (patience != null) {
            t.patience(patience);
        }
        return t;
    }

    boolean miniBatches() {
        return batch < data.size();
    }

    /** Steps in an epoch, as the trainer takes them. */
    int batchesPerEpoch() {
        return miniBatches() ? (int) ((data.size() + (long) batch - 1) / batch) : 1;
    }

    /** How the loss is reduced, for axis labels: {@code loss (sum over 10 samples)}. */
    String lossLabel() {
        return reduction == Reduction.SUM ? "loss (sum over " + data.size() + " samples)" : "loss (mean per sample)";
    }

    /** The lines of the header, as label and value. */
    Map<String, String> header() {
        Map<String, String> h = new LinkedHashMap<>();
        modelHeader(data, network(), init, reduction, trainingLoss).forEach((key, value) -> {
            h.put(key, value);
            if (key.equals("data")) {
                if (validation != null) {
                    h.put("validation", validation.size() + " samples held out (seed " + seed + ")");
                }
                if (test != null) {
                    h.put("test", test.summary());
                }
                if (start.standardization() != null) {
                    h.put("features", "standardised to mean 0, sd 1 with training-split statistics");
                }
                if (start.targetStandardization() != null) {
                    h.put("targets", "standardised to mean 0, sd 1 with training-split statistics (undone to predict)");
                }
                String hint = DataOptions.continuousHint(data);
                if (hint != null) {
                    h.put("hint", hint);
                }
            }
        });
        if (preset == Defaults.DATA_FILE) {
            h.put("matrices", dev.descent.tensor.MatrixOps.kernels());
        }
        h.put("gradient", step.describe() + stepNote);
        h.put("optimizer", optimizer + ", lr " + learningRate + optimizerConstants() + ", "
                + (miniBatches() ? "batches of " + batch + ", reshuffled every epoch" : "full batch"));
        if (!schedule.isConstant()) {
            h.put("schedule", schedule.describe());
        }
        h.put("epochs", epochs + (patience != null ? ", early stopping after " + patience + " without improvement" : ""));
        return h;
    }

    /** The optimizer's constants that differ from the papers' defaults, and any weight decay: {@code , weight decay 0.001}. */
    private String optimizerConstants() {
        Optimizers.Settings d = Optimizers.Settings.of(optimizer, learningRate), o = optimizerSettings;
        StringBuilder b = new StringBuilder();
        if (o.momentum() != d.momentum()) {
            b.append(", momentum ").append(o.momentum());
        }
        if (o.beta1() != d.beta1() || o.beta2() != d.beta2()) {
            b.append(", betas ").append(o.beta1()).append(' ').append(o.beta2());
        }
        if (o.epsilon() != d.epsilon()) {
            b.append(", eps ").append(o.epsilon());
        }
        if (o.weightDecay() > 0) {
            b.append(", weight decay ").append(o.weightDecay()).append(optimizer.equals("adam") ? " (decoupled, AdamW)" : "");
        }
        return b.toString();
    }

    /** The header lines that say what is trained or checked: data, network, init, loss. */
    static Map<String, String> modelHeader(Dataset data, Network network, String init, Reduction reduction) {
        return modelHeader(data, network, init, reduction, null);
    }

    /** As above, naming a regression loss when {@code loss} is one. */
    static Map<String, String> modelHeader(Dataset data, Network network, String init, Reduction reduction, Loss loss) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("data", data.summary());
        StringBuilder table = new StringBuilder();
        for (String line : dev.descent.report.ModelSummary.table(network, data.isRegression())) {
            table.append(System.lineSeparator()).append(" ".repeat(13)).append(line);
        }
        h.put("network", describe(network, data.isRegression()) + "  (" + network.parameterCount() + " parameters)"
                + table);
        h.put("init", init);
        h.put("loss", loss instanceof RegressionLoss ? loss.toString().replace(" (" + reduction + ")", ", "
                + reduction + " over the samples") : "cross-entropy from log-softmax, " + reduction + " over the samples");
        return h;
    }

    /** {@code 5 -> 20 relu -> 10 softmax}, or {@code ... -> 1 linear} for regression. */
    static String describe(Network network, boolean regression) {
        String d = network.describe();
        return regression && d.endsWith(" softmax") ? d.substring(0, d.length() - " softmax".length()) + " linear" : d;
    }

    /** Prints a header: a title line, then label and value lines. */
    static void printHeader(PrintWriter out, String title, Map<String, String> lines) {
        out.println("Descent " + Descent.VERSION + ": " + title);
        for (Map.Entry<String, String> e : lines.entrySet()) {
            out.printf("  %-10s %s%n", e.getKey(), Terminal.escapeKeepingLines(e.getValue())); // names escaped where put in
        }
        out.println();
    }

    /** How the model was made, for the model file; the fingerprint is {@code data().fingerprint()}. */
    Map<String, Object> provenance(String dataFingerprint) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("descent", Descent.VERSION);
        p.put("data", data.summary());
        p.put("dataFingerprint", "sha256:" + dataFingerprint);
        p.put("init", init);
        p.put("seed", seed);
        p.putAll(step.gradients().provenance());
        p.put("optimizer", optimizer);
        p.put("learningRate", learningRate);
        if (optimizer.equals("momentum")) {
            p.put("momentum", optimizerSettings.momentum());
        }
        if (optimizer.equals("adam")) {
            p.put("beta1", optimizerSettings.beta1());
            p.put("beta2", optimizerSettings.beta2());
            p.put("eps", optimizerSettings.epsilon());
        }
        p.put("weightDecay", optimizerSettings.weightDecay());
        p.put("dropout", network().layers().stream().filter(l -> l instanceof dev.descent.layers.Dropout)
                .mapToDouble(l -> ((dev.descent.layers.Dropout) l).probability()).findFirst().orElse(0.0));
        p.put("lrSchedule", schedule.kind());
        p.put("warmupEpochs", schedule.warmup());
        if (schedule.kind().equals("step")) {
            p.put("lrStepSize", schedule.stepSize());
            p.put("lrGamma", schedule.gamma());
        }
        p.put("batch", miniBatches() ? Integer.toString(batch) : "full");
        p.put("reduction", reduction.toString());
        if (trainingLoss instanceof RegressionLoss r) {
            p.put("task", "regression");
            p.put("loss", r instanceof dev.descent.loss.Huber ? "huber" : "mse");
            if (r instanceof dev.descent.loss.Huber huber) {
                p.put("huberDelta", huber.delta());
            }
            p.put("standardizeTargets", start.targetStandardization() != null);
        }
        p.put("epochs", epochs);
        return p;
    }
}
