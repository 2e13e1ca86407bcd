package dev.descent.modelfile;

import dev.descent.network.Network;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network with what a model file keeps beside it: the class names, and how it was made.
 *
 * @param network    the layers and their parameters
 * @param classNames the name of each output class, in index order
 * @param training   how the model was made: data, hyperparameters, seed, gradient source, final
 *                   numbers; string, number or boolean values, kept in insertion order
 */
public record Model(Network network, List<String> classNames, Map<String, Object> training) {
    public Model {
        classNames = List.copyOf(classNames);
        training = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(training));
        if (classNames.size() != network.outputSize()) {
            throw new IllegalArgumentException("the network has " + network.outputSize() + " outputs but "
                    + classNames.size() + " class names are given");
        }
    }
}
