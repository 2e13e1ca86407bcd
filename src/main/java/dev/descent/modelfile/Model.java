package dev.descent.modelfile;

import dev.descent.data.Standardization;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network with what a model file keeps beside it: the class names, the feature
 * standardisation it was trained with, and how it was made.
 *
 * @param network         the layers and their parameters
 * @param classNames      the name of each output class, in index order
 * @param standardization applied to raw features before the network, or null for none
 * @param training        how the model was made: data, hyperparameters, seed, gradient source, final
 *                        numbers; string, number or boolean values, kept in insertion order
 */
public record Model(Network network, List<String> classNames, Standardization standardization,
        Map<String, Object> training) {
    public Model {
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
    }

    /** A model without standardisation. */
    public Model(Network network, List<String> classNames, Map<String, Object> training) {
        this(network, classNames, null, training);
    }

    /** Class probabilities for raw features x: (N, in), standardised as in training: (N, classes). */
    public Matrix predictProbabilities(Matrix rawFeatures) {
        return network.predictProbabilities(prepare(rawFeatures));
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
