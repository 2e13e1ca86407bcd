package dev.descent.cli;

import dev.descent.Descent;
import dev.descent.data.CsvDataset;
import dev.descent.data.Dataset;
import dev.descent.data.Encoding;
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
 * @param columns    how the columns were encoded, for the header
 */
record Setup(Recipe recipe, boolean dataPreset, Dataset data, Dataset validation, Dataset test, Model start,
        String stepNote, Columns columns) {
    /**
     * How a table's columns were encoded, for the header: the least count of a category, the
     * imputation, and the held-out cells of categories the training split never had.
     */
    record Columns(int minCount, Encoding.Impute impute, long unseen) {}


    static Setup of(DataOptions dataOptions, ModelOptions model, LossOptions loss, TrainingOptions training,
            SplitOptions split) {
        return of(dataOptions, model, loss, training, split, false);
    }

    /** The same, for a run that saves checkpoints when {@code checkpoints}. */
    static Setup of(DataOptions dataOptions, ModelOptions model, LossOptions loss, TrainingOptions training,
            SplitOptions split, boolean checkpoints) {
        Recipe recipe = recipe(dataOptions, model, loss, training, split); // flags first: a typo before a long load
        if (split != null && split.test == null && split.useDefaultTest) {
            dataOptions.readTestAhead(dataOptions.defaultTest());
        }
        return of(recipe, dataOptions.table(), null, dataOptions, model, training, split, checkpoints);
    }

    /**
     * The run of {@code recipe} on the rows of {@code table}: its validation split, its columns
     * encoded by an encoding fitted on its training split (or the --init model's), its test set
     * {@code heldOut} (raw rows of the same file, encoded by that encoding: a fold of
     * cross-validation) or else --test, class weights resolved, standardisations fitted.
     */
    static Setup of(Recipe recipe, CsvDataset.Table table, CsvDataset.Table heldOut, DataOptions dataOptions,
            ModelOptions model, TrainingOptions training, SplitOptions split, boolean checkpoints) {
        boolean dataPreset = dataOptions.data != null;
        Dataset all = table.rows();
        Dataset[] parts = split != null && split.validationSplit != null ? validationSplit(all, split, recipe) : null;
        Encoding encoding = null;
        long unseen = 0;
        if (table.columns() != null) { // categories and cells to fill: fitted on the training split, or a model's
            encoding = model.encoding();
            boolean fromModel = encoding != null;
            if (!fromModel) {
                encoding = dataOptions.columns.fit(parts != null ? parts[0] : all, table.columns());
            }
            Encoding.Encoded encoded = encode(encoding, table, dataOptions, fromModel);
            all = new Dataset(encoded.features(), all.labels(), all.classNames(), all.description(), all.targets());
            unseen = fromModel ? 0 : encoded.unknownCells();
            dataOptions.encodedNames = encoding.featureNames();
        } else if (model.encoding() != null) {
            throw new UserError("--init: the model file " + model.init + " reads columns of categories or fills "
                    + "missing cells, and this data has neither");
        }
        recipe = model.withImageShape(recipe, all, dataOptions.imageShape());
        checkMemory(recipe, model, all, checkpoints, null);
        Model start = model.model(all, recipe);
        if (recipe.init() == null) {
            checkMemory(recipe, model, all, checkpoints, start.network());
        }
        Dataset data = all, validation = null, test = null;
        if (parts != null) {
            parts = all.splitValidation(split.validationSplit, recipe.seed()); // the same rows, encoded
            data = parts[0];
            validation = parts[1];
        }
        if (heldOut != null) {
            test = encoding == null ? heldOut.rows() : heldOut.encoded(encoding);
        } else if (split != null) {
            test = test(dataOptions, split, all, encoding);
        }
        recipe = classWeights(recipe, data);
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
            if (encoding != null) { // the one-hot columns pass through, as scikit-learn's ColumnTransformer passes them
                s = encoding.keepIndicators(s);
            }
            start = new Model(start.network(), start.classNames(), s, start.training(), start.output(),
                    start.targetStandardization());
        }
        if (s != null) {
            data = data.standardized(s);
            validation = validation == null ? null : validation.standardized(s);
            test = test == null ? null : test.standardized(s);
        }
        return new Setup(recipe, dataPreset, data, validation, test, start.withEncoding(encoding),
                training.dtypeNote(recipe, dataPreset), new Columns(dataOptions.columns.minCount(),
                        dataOptions.columns.imputation(), unseen));
    }

    /** The training and validation rows of {@code all}, as --validation-split and the seed part them. */
    private static Dataset[] validationSplit(Dataset all, SplitOptions split, Recipe recipe) {
        try {
            return all.splitValidation(split.validationSplit, recipe.seed());
        } catch (IllegalArgumentException e) {
            throw new UserError("--validation-split: " + e.getMessage());
        }
    }

    /**
     * The table's rows encoded: a category the training split never had is all zeros, counted
     * (only the held-out rows can hold one); under a model file's encoding, one the model does
     * not know is refused unless --unknown-category ignore.
     */
    private static Encoding.Encoded encode(Encoding encoding, CsvDataset.Table table, DataOptions options,
            boolean fromModel) {
        Encoding.Encoded encoded;
        try {
            encoded = encoding.encode(table.rows().features(), table.columns());
        } catch (IllegalArgumentException e) {
            throw new UserError("--data: " + e.getMessage());
        }
        if (fromModel && encoded.unknownCells() > 0 && !options.columns.ignoreUnknown()) {
            throw new UserError("--data: " + encoded.unknownCells() + " cells in " + encoded.unknownRows() + " rows "
                    + "hold categories the model file was not trained on; --unknown-category ignore encodes them as "
                    + "all zeros");
        }
        return encoded;
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
     * The recipe with its class weights resolved once, against the training split's labels, so
     * that the validation split and the test set are weighed as training is (a balanced rule
     * never takes their own counts); a weight for a class the data does not have is refused.
     */
    static Recipe classWeights(Recipe recipe, Dataset training) {
        if (training.isRegression() || recipe.classWeights().none()) {
            return recipe;
        }
        try {
            return recipe.withClassWeights(recipe.classWeights().resolve(training.classNames(), training.labels()));
        } catch (IllegalArgumentException e) {
            throw new UserError("--class-weight: " + e.getMessage());
        }
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

    /** The test set: --test, or an IDX directory's t10k files, read by the run's encoding; checked against the training data. */
    private static Dataset test(DataOptions dataOptions, SplitOptions split, Dataset all, Encoding encoding) {
        Path testPath = split.test != null ? split.test : split.useDefaultTest ? dataOptions.defaultTest() : null;
        Dataset test = dataOptions.labelled("--test", testPath, all.classNames(), "the training data", encoding);
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
        if (start.encoding() != null) {
            List<String> lines = start.encoding().describe(columns.minCount(), columns.impute());
            if (!lines.isEmpty()) {
                h.put("columns", String.join(System.lineSeparator() + " ".repeat(13), lines));
            }
        }
        if (validation != null) {
            h.put("validation", validation.size() + " samples held out (seed " + recipe.seed() + ")"
                    + (columns.unseen() > 0 ? "; " + columns.unseen() + " of its cells hold categories the training "
                            + "split does not have, encoded as all zeros" : ""));
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
        List<String> hints = new ArrayList<>();
        String hint = DataOptions.continuousHint(data);
        if (hint != null) {
            hints.add(hint);
        }
        if (start.encoding() != null) {
            hints.addAll(ColumnOptions.idLikeHints(start.encoding(), data.size()));
        }
        if (!hints.isEmpty()) {
            h.put("hint", String.join(System.lineSeparator() + " ".repeat(13), hints));
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
