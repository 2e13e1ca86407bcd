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
 * ({@code dense 128}, {@code relu}), θ flat, the class (or target) names, the standardisation, the
 * provenance, and for regression the linear output and the targets' standardisation. The network
 * is built from it where it is used.
 *
 * @param mean       null without standardisation
 * @param output     {@code Model.SOFTMAX} or {@code Model.LINEAR}
 * @param targetMean null without a targets' standardisation
 */
record Portable(int inputs, List<String> layers, double[] theta, List<String> classNames, double[] mean,
        double[] std, LinkedHashMap<String, Object> training, String output, double[] targetMean,
        double[] targetStd) implements Serializable {
    static Portable of(Model model) {
        List<String> layers = new ArrayList<>();
        for (Layer layer : model.network().layers()) {
            layers.add(layer instanceof Dense d ? "dense " + d.outputSize() : layer.kind());
        }
        Standardization s = model.standardization(), t = model.targetStandardization();
        return new Portable(model.network().inputSize(), List.copyOf(layers), Theta.read(model.network()),
                List.copyOf(model.classNames()), s == null ? null : s.mean().clone(), s == null ? null : s.std().clone(),
                new LinkedHashMap<>(model.training()), model.output(), t == null ? null : t.mean().clone(),
                t == null ? null : t.std().clone());
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
                (Map<String, Object>) training, output,
                targetMean == null ? null : new Standardization(targetMean, targetStd));
    }

    boolean regression() {
        return output.equals(Model.LINEAR);
    }
}
