package dev.descent.modelfile;

import dev.descent.data.Dataset;
import dev.descent.data.Encoding;
import dev.descent.data.Standardization;
import dev.descent.metrics.RegressionMetrics;
import dev.descent.metrics.Scores;
import dev.descent.network.Network;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network with what a model file keeps beside it: the class names, the feature
 * standardisation it was trained with, and how it was made; for a regression model, the target
 * names and the targets' standardisation, undone at prediction.
 *
 * @param network         the layers and their parameters
 * @param classNames      the name of each output class, in index order; for regression, of each target
 * @param standardization applied to raw features before the network, or null for none
 * @param training        how the model was made: data, hyperparameters, seed, gradient source, final
 *                        numbers; string, number or boolean values, kept in insertion order
 * @param output          {@link #SOFTMAX} (class probabilities) or {@link #LINEAR} (regression)
 * @param targetStandardization the targets' standardisation the network learned, undone on its
 *                        output, or null for none (regression only)
 * @param encoding        how raw columns (categories, cells to impute) become the network's
 *                        inputs, before standardisation; null when the inputs are the columns as they are
 */
public record Model(Network network, List<String> classNames, Standardization standardization,
        Map<String, Object> training, String output, Standardization targetStandardization, Encoding encoding) {
    public static final String SOFTMAX = "softmax";
    public static final String LINEAR = "linear";

    public Model {
        if (!output.equals(SOFTMAX) && !output.equals(LINEAR)) {
            throw new IllegalArgumentException("the output is softmax or linear, got " + output);
        }
        if (targetStandardization != null && (output.equals(SOFTMAX)
                || targetStandardization.mean().length != network.outputSize())) {
            throw new IllegalArgumentException("a target standardisation needs a linear output of its width");
        }
        classNames = List.copyOf(classNames);
        training = Collections.unmodifiableMap(new LinkedHashMap<>(training));
        if (classNames.size() != network.outputSize()) {
            throw new IllegalArgumentException("the network has " + network.outputSize() + " outputs but "
                    + classNames.size() + " class names are given");
        }
        if (standardization != null && standardization.mean().length != network.inputSize()) {
            throw new IllegalArgumentException("the network takes " + network.inputSize() + " features but the "
                    + "standardisation has " + standardization.mean().length);
        }
        if (encoding != null && encoding.width() != network.inputSize()) {
            throw new IllegalArgumentException("the network takes " + network.inputSize() + " features but the "
                    + "encoding makes " + encoding.width());
        }
    }

    /** A model whose inputs are the data's columns as they are. */
    public Model(Network network, List<String> classNames, Standardization standardization,
            Map<String, Object> training, String output, Standardization targetStandardization) {
        this(network, classNames, standardization, training, output, targetStandardization, null);
    }

    /** This model with {@code encoding} reading its raw columns (null: none). */
    public Model withEncoding(Encoding newEncoding) {
        return new Model(network, classNames, standardization, training, output, targetStandardization, newEncoding);
    }

    /**
     * Rows of raw cells, one string per raw column in the order of {@code encoding().columns()}
     * (a missing cell empty, {@code NA} or {@code ?}), as the network's inputs before
     * standardisation: encoded by the model's encoding, or parsed as numbers without one.
     *
     * @param ignoreUnknown encode a category the model was not trained on as all zeros rather than refuse it
     * @throws IllegalArgumentException naming the row and column of a cell the model cannot read
     */
    public Matrix encode(List<String[]> rows, boolean ignoreUnknown) {
        if (encoding != null) {
            return encoding.encodeRows(rows, ignoreUnknown);
        }
        List<Encoding.Column> numbers = new ArrayList<>();
        for (int j = 0; j < network.inputSize(); j++) {
            numbers.add(Encoding.Column.numeric("feature " + (j + 1), Double.NaN));
        }
        return new Encoding(numbers).encodeRows(rows, ignoreUnknown);
    }

    /** The most probable class of each row of raw cells ({@link #encode}; an unknown category refused). */
    public List<String> predictClasses(List<String[]> rows) {
        return predictClasses(encode(rows, false));
    }

    /** Class probabilities of each row of raw cells ({@link #encode}; an unknown category refused). */
    public Matrix predictProbabilities(List<String[]> rows) {
        return predictProbabilities(encode(rows, false));
    }

    /** Predicted targets of each row of raw cells ({@link #encode}; an unknown category refused). */
    public Matrix predictValues(List<String[]> rows) {
        return predictValues(encode(rows, false));
    }

    /** A classifier. */
    public Model(Network network, List<String> classNames, Standardization standardization,
            Map<String, Object> training) {
        this(network, classNames, standardization, training, SOFTMAX, null);
    }

    /**
     * The number type the model was trained in: its provenance's {@code dtype} ({@code float32} or
     * {@code float64}), float64 when it names none (central differences, or a file from elsewhere).
     * A float32 run's parameters are float32 numbers, kept exactly as float64.
     */
    public Dtype trainedDtype() {
        return "float32".equals(training.get("dtype")) ? Dtype.FLOAT32 : Dtype.FLOAT64;
    }

    /** Whether the outputs are real-valued targets rather than class scores. */
    public boolean isRegression() {
        return output.equals(LINEAR);
    }

    /** This model's network and output with other provenance. */
    public Model withTraining(Map<String, Object> newTraining) {
        return new Model(network, classNames, standardization, newTraining, output, targetStandardization, encoding);
    }

    /**
     * Predicted targets for features x: (N, in), the network's inputs before standardisation (a
     * model with an {@link #encoding()} takes them encoded: {@link #encode}), in the targets' own units (the targets'
     * standardisation undone): (N, t). Regression only.
     */
    public Matrix predictValues(Matrix rawFeatures) {
        Matrix y = network.forward(prepare(rawFeatures)).copy();
        if (targetStandardization != null) {
            targetStandardization.undoInPlace(y, y.rows());
        }
        return y;
    }

    /** A model without standardisation. */
    public Model(Network network, List<String> classNames, Map<String, Object> training) {
        this(network, classNames, null, training);
    }

    /** Class probabilities for raw features x: (N, in), standardised as in training: (N, classes). */
    public Matrix predictProbabilities(Matrix rawFeatures) {
        return network.predictProbabilities(prepare(rawFeatures));
    }

    /** The most probable class of each row of raw features x: (N, in), by name. A classifier only. */
    public List<String> predictClasses(Matrix rawFeatures) {
        if (isRegression()) {
            throw new IllegalStateException("a regression model predicts values (predictValues), not classes");
        }
        List<String> names = new ArrayList<>();
        for (int c : network.predictClasses(prepare(rawFeatures))) {
            names.add(classNames.get(c));
        }
        return names;
    }

    /**
     * What this model scores on {@code data}, raw features and labels (or targets) as a data set
     * holds them: the features standardised as in training, a regression model's predictions in
     * the targets' own units. A classifier's data must name the model's classes in its order (read
     * it with them: {@code CsvDataset.read(path, options, model.classNames())}); a regression set,
     * its targets. A model with an {@link #encoding()} takes its data encoded: read it with
     * {@code options.withEncoding(model.encoding(), false)}, which reads text categories and
     * encodes them as the model was trained.
     *
     * @throws IllegalArgumentException when the data does not fit the model, or a row's outputs overflow
     */
    public Scores evaluate(Dataset data) {
        if (data.featureCount() != network.inputSize()) {
            throw new IllegalArgumentException("the data has " + data.featureCount() + " features but the model takes "
                    + network.inputSize() + (encoding != null ? " encoded from its " + encoding.rawColumns()
                    + " columns: read the data with options.withEncoding(model.encoding(), false)" : ""));
        }
        if (data.isRegression() != isRegression() || !data.classNames().equals(classNames)) {
            throw new IllegalArgumentException("the data's " + (data.isRegression() ? "targets " : "classes ")
                    + data.classNames() + " are not the model's " + classNames);
        }
        Dataset prepared = standardization == null ? data : data.standardized(standardization);
        return isRegression() ? new Scores.Targets(RegressionMetrics.of(network, prepared, targetStandardization, false))
                : Scores.Classes.of(network, prepared);
    }

    /** Raw features standardised as in training (a copy), or as they are without standardisation. */
    public Matrix prepare(Matrix rawFeatures) {
        if (standardization == null) {
            return rawFeatures;
        }
        Matrix x = rawFeatures.copy();
        standardization.applyInPlace(x, x.rows());
        return x;
    }
}
