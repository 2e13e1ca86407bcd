package dev.descent.cli;

import dev.descent.Descent;
import dev.descent.data.Dataset;
import dev.descent.data.Standardization;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.modelfile.Model;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
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
        TrainingStep step, String stepNote, Reduction reduction, String optimizer, double learningRate, int batch, int epochs,
        Integer patience, long seed) {

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
        training.optimizer(preset);
        int epochs = training.epochs(preset);
        int batch = training.batch(preset);
        Reduction reduction = loss.reduction(preset);
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
        }
        Standardization s = start.standardization();
        if (split != null && split.standardize) {
            if (s != null) {
                throw new UserError("--standardize: the model file " + model.init + " already fixes its standardisation");
            }
            s = Standardization.fit(data.features());
            start = new Model(start.network(), start.classNames(), s, start.training());
        }
        if (s != null) {
            data = data.standardized(s);
            validation = validation == null ? null : validation.standardized(s);
            test = test == null ? null : test.standardized(s);
        }
        return new Setup(preset, data, validation, test, start, model.initDescription(preset), step,
                training.dtypeNote(preset), reduction,
                training.optimizerName(), lr, batch, epochs, split == null ? null : split.patience, model.seed());
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

    SoftmaxCrossEntropy loss() {
        return new SoftmaxCrossEntropy(reduction);
    }

    Trainer trainer() {
        Optimizer optimizer = dev.descent.optim.Optimizers.create(this.optimizer, learningRate);
        Trainer t = new Trainer(step, loss(), optimizer, epochs).batchSize(batch).shuffleSeed(seed + 1);
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
        modelHeader(data, network(), init, reduction).forEach((key, value) -> {
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
            }
        });
        if (preset == Defaults.DATA_FILE) {
            h.put("matrices", dev.descent.tensor.MatrixOps.kernels());
        }
        h.put("gradient", step.describe() + stepNote);
        h.put("optimizer", optimizer + ", lr " + learningRate + ", "
                + (miniBatches() ? "batches of " + batch + ", reshuffled every epoch" : "full batch"));
        h.put("epochs", epochs + (patience != null ? ", early stopping after " + patience + " without improvement" : ""));
        return h;
    }

    /** The header lines that say what is trained or checked: data, network, init, loss. */
    static Map<String, String> modelHeader(Dataset data, Network network, String init, Reduction reduction) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("data", data.summary());
        StringBuilder table = new StringBuilder();
        for (String line : dev.descent.report.ModelSummary.table(network)) {
            table.append(System.lineSeparator()).append(" ".repeat(13)).append(line);
        }
        h.put("network", network.describe() + "  (" + network.parameterCount() + " parameters)" + table);
        h.put("init", init);
        h.put("loss", "cross-entropy from log-softmax, " + reduction + " over the samples");
        return h;
    }

    /** Prints a header: a title line, then label and value lines. */
    static void printHeader(PrintWriter out, String title, Map<String, String> lines) {
        out.println("Descent " + Descent.VERSION + ": " + title);
        for (Map.Entry<String, String> e : lines.entrySet()) {
            out.printf("  %-10s %s%n", e.getKey(), e.getValue());
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
        p.put("batch", miniBatches() ? Integer.toString(batch) : "full");
        p.put("reduction", reduction.toString());
        p.put("epochs", epochs);
        return p;
    }
}
