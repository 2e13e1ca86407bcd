package dev.descent.cli;

import dev.descent.Descent;
import dev.descent.data.Dataset;
import dev.descent.data.Features;
import dev.descent.data.Standardization;
import dev.descent.io.Terminal;
import dev.descent.layers.Layer;
import dev.descent.loss.Loss;
import dev.descent.loss.Reduction;
import dev.descent.modelfile.Model;
import dev.descent.network.LayerSpec;
import dev.descent.network.Network;
import dev.descent.recipe.Recipe;
import dev.descent.report.ModelSummary;
import dev.descent.tensor.Matrix;
import dev.descent.tensor.MatrixOps;
import dev.descent.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a run's data comes from, read, split, standardised and checked, and the {@link Recipe}
 * that trains on it, built from the options: everything a command that trains or checks a
 * network needs, resolved before any work starts. What a run is lives in the recipe; this only
 * says where its data comes from and prints the header.
 *
 * @param recipe     the run, from the preset and the flags
 * @param dataPreset whether the data is a file (the {@link Recipe#forData()} preset), not the seed example
 * @param data       the training data (after any validation split, standardised if asked)
 * @param validation the validation split, or null
 * @param test       the held-out test set, or null
 * @param start      the network before training, with its class names and standardisations
 * @param stepNote   why the number type is what it is, for the header, or empty
 */
record Setup(Recipe recipe, boolean dataPreset, Dataset data, Dataset validation, Dataset test, Model start,
        String stepNote) {

    static Setup of(DataOptions dataOptions, ModelOptions model, LossOptions loss, TrainingOptions training,
            SplitOptions split) {
        return of(dataOptions, model, loss, training, split, false);
    }

    /** The same, for a run that saves checkpoints when {@code checkpoints}. */
    static Setup of(DataOptions dataOptions, ModelOptions model, LossOptions loss, TrainingOptions training,
            SplitOptions split, boolean checkpoints) {
        Recipe recipe = recipe(dataOptions, model, loss, training, split); // flags first: a typo before a long load
        boolean dataPreset = dataOptions.data != null;
        Dataset all = dataOptions.training();
        recipe = model.withImageShape(recipe, all, dataOptions.imageShape());
        checkMemory(recipe, model, all, checkpoints, null);
        Model start = model.model(all, recipe);
        if (recipe.init() == null) {
            checkMemory(recipe, model, all, checkpoints, start.network());
        }
        Dataset data = all, validation = null, test = null;
        if (split != null && split.validationSplit != null) {
            Dataset[] parts;
            try {
                parts = all.splitValidation(split.validationSplit, recipe.seed());
            } catch (IllegalArgumentException e) {
                throw new UserError("--validation-split: " + e.getMessage());
            }
            data = parts[0];
            validation = parts[1];
        }
        if (split != null) {
            test = test(dataOptions, split, all);
        }
        if (all.isRegression()) {
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
        return new Setup(recipe, dataPreset, data, validation, test, start, training.dtypeNote(recipe, dataPreset));
    }

    /** The run the options describe: the data's preset, then each group of flags, checked in turn. */
    static Recipe recipe(DataOptions dataOptions, ModelOptions model, LossOptions loss, TrainingOptions training,
            SplitOptions split) {
        Recipe recipe = loss.applyTo(training.applyTo(dataOptions.preset()));
        if (split != null && split.standardizeTargets && recipe.task() != Recipe.Task.REGRESSION) {
            throw new UserError("--standardize-targets: only used with --task regression");
        }
        if (!recipe.objective().isLoss() && recipe.task() == Recipe.Task.REGRESSION) {
            throw new UserError("--objective " + recipe.objective() + ": a classifier's metric; a regression trains "
                    + "on its loss");
        }
        recipe = model.applyTo(recipe);
        if (split != null) {
            split.check();
            if (split.patience != null) {
                recipe = recipe.withPatience(split.patience);
            }
        }
        return recipe;
    }

    /**
     * Refuses a network that will not fit in memory: before it is built from the recipe's layers
     * ({@code network} null), or once read from a model file.
     */
    private static void checkMemory(Recipe recipe, ModelOptions model, Dataset all, boolean checkpoints,
            Network network) {
        int slots = recipe.newOptimizer().state().slots().size();
        boolean best = recipe.patience() > 0;
        int rows = MemoryCheck.rowsAtOnce(all.size(), recipe.batch());
        if (network != null && network.inputShape() != null) {
            MemoryCheck.network("--init", network, slots, best, checkpoints, rows);
        } else if (network != null) {
            MemoryCheck.network("--init", widths(network), slots, best, checkpoints, rows);
        } else if (recipe.init() != null && recipe.hasImageLayers()) {
            LayerSpec.Size size;
            try {
                size = LayerSpec.size(recipe.inputShape(), all.featureCount(), recipe.layers(), all.classCount());
            } catch (IllegalArgumentException e) {
                throw new UserError("--layers " + Terminal.escape(model.layers) + ": " + e.getMessage());
            }
            MemoryCheck.network("--layers", model.layers, size.parameters(), size.values(), slots, best, checkpoints,
                    rows);
        } else if (recipe.init() != null) {
            List<Integer> widths = new ArrayList<>(List.of(all.featureCount()));
            widths.addAll(recipe.hidden());
            widths.add(all.classCount());
            MemoryCheck.network(model.layers != null ? "--layers" : "--data", widths, slots, best, checkpoints, rows);
        }
    }

    /** The test set: --test, or an IDX directory's t10k files; checked against the training data. */
    private static Dataset test(DataOptions dataOptions, SplitOptions split, Dataset all) {
        Path testPath = split.test != null ? split.test : split.useDefaultTest ? dataOptions.defaultTest() : null;
        Dataset test = dataOptions.labelled("--test", testPath, all.classNames(), "the training data");
        if (test != null && test.featureCount() != all.featureCount()) {
            throw new UserError("--test: " + testPath + " has " + test.featureCount() + " features but the training "
                    + "data has " + all.featureCount());
        }
        if (test != null && all.isRegression() && !test.classNames().equals(all.classNames())) {
            throw new UserError("--test: " + testPath + " has targets " + test.classNames() + " but the training "
                    + "data has " + all.classNames());
        }
        return test;
    }

    /** The targets of {@code d}, all rows of its matrix, standardised by {@code s}: a copy. */
    private static Matrix standardizedTargets(Dataset d, Standardization s) {
        Matrix t = d.targets().copy();
        s.applyInPlace(t, t.rows());
        return t;
    }

    Network network() {
        return start.network();
    }

    /** The widths of a network's layers with parameters, input first; for images, see {@link MemoryCheck#network(String, Network, int, boolean, boolean, int)}. */
    private static List<Integer> widths(Network network) {
        List<Integer> widths = new ArrayList<>(List.of(network.inputSize()));
        int width = network.inputSize();
        for (Layer layer : network.layers()) {
            width = layer.outputSize(width);
            if (!layer.parameters().isEmpty()) {
                widths.add(width);
            }
        }
        return widths;
    }

    /** The loss on the training data's targets (and the validation split's, which shares them). */
    Loss loss() {
        return recipe.loss(data);
    }

    /** The loss on {@code d}'s targets: a test set's, for regression; the same loss for classification. */
    Loss lossFor(Dataset d) {
        return recipe.loss(d);
    }

    boolean regression() {
        return data.isRegression();
    }

    Reduction reduction() {
        return recipe.reduction();
    }

    /** The recipe's trainer on the training data, evaluating the validation split every epoch. */
    Trainer trainer() {
        return recipe.trainer(data, validation);
    }

    boolean miniBatches() {
        return recipe.batch() < data.size();
    }

    /** Steps in an epoch, as the trainer takes them. */
    int batchesPerEpoch() {
        return miniBatches() ? (int) ((data.size() + (long) recipe.batch() - 1) / recipe.batch()) : 1;
    }

    /** How the loss is reduced, for axis labels: {@code loss (sum over 10 samples)}. */
    String lossLabel() {
        return reduction() == Reduction.SUM ? "loss (sum over " + data.size() + " samples)" : "loss (mean per sample)";
    }

    /** The lines of the header, as label and value. */
    Map<String, String> header() {
        Map<String, String> h = new LinkedHashMap<>();
        modelHeader(data, network(), recipe.initDescription(), loss()).forEach((key, value) -> {
            h.put(key, value);
            if (key.equals("data")) {
                dataLines(h);
            }
        });
        if (dataPreset) {
            h.put("matrices", MatrixOps.kernels());
        }
        h.put("gradient", recipe.step().describe() + stepNote);
        h.put("optimizer", recipe.optimizerSettings().describe() + ", "
                + (miniBatches() ? "batches of " + recipe.batch() + ", reshuffled every epoch" : "full batch"));
        if (!recipe.schedule().isConstant()) {
            h.put("schedule", recipe.describeSchedule());
        }
        h.put("epochs", recipe.epochs() + (recipe.patience() > 0 ? ", early stopping after " + recipe.patience()
                + " without improvement" : ""));
        return h;
    }

    /** The header's lines about the data beyond its summary: held-out sets, standardisation, a hint. */
    private void dataLines(Map<String, String> h) {
        if (validation != null) {
            h.put("validation", validation.size() + " samples held out (seed " + recipe.seed() + ")");
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

    /** The header lines that say what is trained or checked: data, network, init, loss. */
    static Map<String, String> modelHeader(Dataset data, Network network, String init, Loss loss) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("data", data.summary());
        StringBuilder table = new StringBuilder();
        for (String line : ModelSummary.table(network, data.isRegression())) {
            table.append(System.lineSeparator()).append(" ".repeat(13)).append(line);
        }
        h.put("network", describe(network, data.isRegression()) + "  (" + network.parameterCount() + " parameters)"
                + table);
        h.put("init", init);
        h.put("loss", loss.describe());
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
            out.printf(Locale.ROOT, "  %-10s %s%n", e.getKey(), Terminal.escapeKeepingLines(e.getValue())); // names escaped where put in
        }
        out.println();
    }

    /**
     * How the model was made, for the model file: the data and its fingerprint (null: not known,
     * left out), then the recipe's own entries, then how the targets were scaled.
     */
    Map<String, Object> provenance(String dataFingerprint) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("descent", Descent.VERSION);
        p.put("data", data.summary());
        if (dataFingerprint != null) {
            p.put("dataFingerprint", "sha256:" + dataFingerprint);
        }
        p.putAll(recipe.provenance());
        if (regression()) {
            p.put("standardizeTargets", start.targetStandardization() != null);
        }
        return p;
    }
}
