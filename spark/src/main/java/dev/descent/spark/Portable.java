package dev.descent.spark;

import dev.descent.data.Standardization;
import dev.descent.layers.Dense;
import dev.descent.layers.Layer;
import dev.descent.modelfile.Model;
import dev.descent.network.Network;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A library {@link Model} in a form Spark can ship to executors: the layers as words
 * ({@code dense 128}, {@code relu}), θ flat, the class names, the standardisation and the
 * provenance. The network is built from it where it is used.
 *
 * @param mean null without standardisation
 */
record Portable(int inputs, List<String> layers, double[] theta, List<String> classNames, double[] mean,
        double[] std, LinkedHashMap<String, Object> training) implements Serializable {
    static Portable of(Model model) {
        List<String> layers = new ArrayList<>();
        for (Layer layer : model.network().layers()) {
            layers.add(layer instanceof Dense d ? "dense " + d.outputSize() : layer.kind());
        }
        Standardization s = model.standardization();
        return new Portable(model.network().inputSize(), List.copyOf(layers), Theta.read(model.network()),
                List.copyOf(model.classNames()), s == null ? null : s.mean().clone(), s == null ? null : s.std().clone(),
                new LinkedHashMap<>(model.training()));
    }

    Network network() {
        Network.Builder b = Network.builder(inputs);
        for (String layer : layers) {
            if (layer.startsWith("dense ")) {
                b.dense(Integer.parseInt(layer.substring(6)));
            } else {
                b.activation(layer);
            }
        }
        Network network = b.build();
        Theta.write(theta, network);
        return network;
    }

    Model model() {
        return new Model(network(), classNames, mean == null ? null : new Standardization(mean, std),
                (Map<String, Object>) training);
    }
}
